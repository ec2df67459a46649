using System.Collections.Concurrent;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Recruiting.BrowserTests;

/// <summary>
/// Several people in one test, each with their own browser context (own cookies) and page. Console errors, uncaught
/// script errors and failed responses are collected per person; <see cref="AssertNoProblems"/> fails on any, and
/// <see cref="SaveFailureArtifactsAsync"/> saves a screenshot and the HTML of every open page.
/// </summary>
public sealed class BrowserSessions(IBrowser browser, Uri baseAddress) : IAsyncDisposable
{
    private readonly List<(string Who, IBrowserContext Context, IPage Page)> _sessions = [];
    private readonly ConcurrentQueue<string> _problems = new();

    /// <summary>Opens one browser per person, all at once (a new context and page take a moment each), in the given order.</summary>
    public async Task<IPage[]> OpenAsync(params string[] people)
    {
        var opened = await Task.WhenAll(people.Select(async who =>
        {
            var context = await browser.NewContextAsync(new() { BaseURL = baseAddress.ToString(), AcceptDownloads = true });
            return (Who: who, Context: context, Page: await context.NewPageAsync());
        }));
        foreach (var (who, context, page) in opened)
        {
            page.Console += (_, message) => { if (message.Type == "error") _problems.Enqueue($"{who}: console error: {message.Text}"); };
            page.PageError += (_, error) => _problems.Enqueue($"{who}: script error: {error}");
            page.Response += (_, response) => { if (response.Status >= 400) _problems.Enqueue($"{who}: HTTP {response.Status}: {response.Url}"); };
            _sessions.Add((who, context, page));
        }
        return opened.Select(o => o.Page).ToArray();
    }

    public void AssertNoProblems() => Assert.Empty(_problems);

    public async Task SaveFailureArtifactsAsync(string testName, ITestOutputHelper output)
    {
        foreach (var problem in _problems)
            output.WriteLine(problem);
        var directory = BrowserFixture.ArtifactsDirectory;
        foreach (var (who, _, page) in _sessions.Where(s => !s.Page.IsClosed && s.Page.Url != "about:blank"))
        {
            try
            {
                Directory.CreateDirectory(directory);
                var screenshot = Path.Combine(directory, $"{testName}.{who}.png");
                await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
                var html = Path.Combine(directory, $"{testName}.{who}.html");
                await File.WriteAllTextAsync(html, await page.ContentAsync());
                output.WriteLine($"{who} at failure: {page.Url}");
                output.WriteLine($"  screenshot: {screenshot}");
                output.WriteLine($"  HTML: {html}");
            }
            catch (Exception ex)
            {
                // Never hide the test's own failure behind one from saving the evidence.
                output.WriteLine($"Could not save the failure screenshot of {who}: {ex.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, context, _) in _sessions)
            await context.DisposeAsync();
    }
}
