using Microsoft.Playwright;
using Recruiting.Core.Postings;

namespace Recruiting.BrowserTests;

/// <summary>
/// One app and one headless Debian Chromium for all browser tests; each test opens its own browser context
/// (own cookies), so tests do not see each other's sessions.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public RecruitingApp App { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public JobPosting Posting { get; private set; } = null!;

    /// <summary>Failure screenshots go here: BROWSER_TEST_ARTIFACTS when set (tests/run.sh sets it), else the test output folder.</summary>
    public static string ArtifactsDirectory =>
        Environment.GetEnvironmentVariable("BROWSER_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "browser-failures");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}. Install the Debian package `chromium` (apt-get install -y chromium); " +
                "the browser tests drive it and download nothing.");

        // The submit creates an account (password hashing) and stores files: give a slow machine room.
        Assertions.SetDefaultExpectTimeout(10_000);
        App.Start();
        Posting = await App.CreateOpenPostingAsync(
            "Accessibility tester",
            "Oslo or remote",
            "Test our portal with a keyboard and a screen reader, and help us fix what you find.");

        // Playwright's driver (Node and its package) ships in the build output's .playwright folder; no install step.
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
