using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Recruiting.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed partial class ApplyJourneyTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly PageGetByLabelOptions Exact = new() { Exact = true };

    [Fact]
    public Task Visitor_applies_with_a_pdf_cv_and_then_sees_the_application_as_received() => InBrowserAsync(async page =>
    {
        var title = fixture.Posting.Title;

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Open positions", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Apply for this position" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Apply for {title}", Level = 1 })).ToBeVisibleAsync();
        var notice = page.GetByRole(AriaRole.Region, new() { Name = "How we handle your application data" });
        await Expect(notice).ToBeVisibleAsync();
        await Expect(notice).ToContainTextAsync("GDPR Art. 6(1)(b)");

        await page.GetByLabel("Full name", Exact).FillAsync("Kari Nordmann");
        var email = $"kari.nordmann+{Guid.NewGuid():N}@example.com";
        await page.GetByLabel("Email", Exact).FillAsync(email);
        await page.GetByLabel("Phone", Exact).FillAsync("+47 912 34 567");
        await page.GetByLabel("Address", Exact).FillAsync("Storgata 1\n0155 Oslo");
        await page.GetByLabel("Cover letter", Exact).FillAsync(
            "I test web applications with a keyboard and a screen reader, and I would like to do that for you.");
        await page.GetByLabel("CV", Exact).SetInputFilesAsync(new FilePayload
        {
            Name = "kari-nordmann-cv.pdf", MimeType = "application/pdf", Buffer = MinimalPdf.Create("Kari Nordmann: CV"),
        });
        await page.GetByLabel("Further documents", Exact).SetInputFilesAsync(new FilePayload
        {
            Name = "reference.pdf", MimeType = "application/pdf", Buffer = MinimalPdf.Create("Reference for Kari Nordmann"),
        });
        await page.GetByLabel("Password", Exact).FillAsync("correct horse battery staple");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit application" }).ClickAsync();

        // One page for every visitor (it must not tell whether the address has an account); the mailed link signs in.
        await Expect(page).ToHaveURLAsync(SentUrl());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your mailbox", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(title);

        await fixture.App.Mail.ConfirmAddressAsync(page, email, "correct horse battery staple");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td.application-status")).ToHaveTextAsync("Received");
        await Expect(row.Locator("a[href^='/my/documents/']")).ToHaveCountAsync(2); // the CV and the further document
    });

    [GeneratedRegex("/postings/[0-9a-f-]{36}/apply/sent$")]
    private static partial Regex SentUrl();

    /// <summary>
    /// Runs the steps in a fresh browser context. Console errors, uncaught script errors and failed responses fail
    /// the test too; on any failure a screenshot and the page's HTML are saved (see <see cref="BrowserFixture.ArtifactsDirectory"/>).
    /// </summary>
    private async Task InBrowserAsync(Func<IPage, Task> steps, [CallerMemberName] string testName = "")
    {
        await using var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.App.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Enqueue($"console error: {message.Text}"); };
        page.PageError += (_, error) => problems.Enqueue($"script error: {error}");
        page.Response += (_, response) => { if (response.Status >= 400) problems.Enqueue($"HTTP {response.Status}: {response.Url}"); };

        try
        {
            await steps(page);
            Assert.Empty(problems);
        }
        catch
        {
            await SaveFailureArtifactsAsync(page, testName, problems);
            throw;
        }
    }

    private async Task SaveFailureArtifactsAsync(IPage page, string testName, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
            output.WriteLine(problem);
        try
        {
            var directory = BrowserFixture.ArtifactsDirectory;
            Directory.CreateDirectory(directory);
            var screenshot = Path.Combine(directory, testName + ".png");
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            var html = Path.Combine(directory, testName + ".html");
            await File.WriteAllTextAsync(html, await page.ContentAsync());
            output.WriteLine($"Page at failure: {page.Url}");
            output.WriteLine($"Screenshot: {screenshot}");
            output.WriteLine($"HTML: {html}");
        }
        catch (Exception ex)
        {
            // Never hide the test's own failure behind one from saving the evidence.
            output.WriteLine($"Could not save the failure screenshot: {ex.Message}");
        }
    }
}
