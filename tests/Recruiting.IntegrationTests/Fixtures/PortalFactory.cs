using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Notifications;
using Recruiting.Core.Data;
using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Identity;
using Recruiting.Core.Postings;
using Recruiting.Web.Infrastructure;

namespace Recruiting.IntegrationTests.Fixtures;

/// <summary>
/// The real portal in a fresh data folder: the filesystem blob store, .eml mail, an in-process Hangfire server, and
/// a real SQLite file (the embedded default), or, when the environment variable RECRUITING_TEST_DATABASE is
/// <c>PostgreSql</c>, a fresh database of a throwaway PostgreSQL cluster with Hangfire's storage in it too. The test
/// command runs the integration tests once per provider.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public const string HrEmail = "hr@portal.test";

    public static bool OnPostgreSql { get; } =
        string.Equals(Environment.GetEnvironmentVariable("RECRUITING_TEST_DATABASE"), "PostgreSql", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string of this host's PostgreSQL database, once started; null on SQLite.</summary>
    public string? Database => _database;

    /// <summary>This host's PostgreSQL database, made on first use unless given; null on SQLite.</summary>
    public string? PostgreSqlConnectionString { get; init; }

    /// <summary>Keeps the PostgreSQL database when this host is disposed, for a test that starts a second host on it
    /// (as it keeps the data folder it was given); that host drops it.</summary>
    public bool KeepDatabase { get; init; }

    private string? _database;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("recruiting-it-").FullName;
    public string HrPassword { get; } = "hr-" + Guid.NewGuid().ToString("N");

    /// <summary>Extra test-only service changes, applied after the app's own.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>
    /// Test hosts raise the rate limits far above what any test sends, since every test client shares one address;
    /// true keeps the production defaults (the rate-limit tests).
    /// </summary>
    public bool ProductionRateLimits { get; init; }

    /// <summary>
    /// Test hosts let a sign-in last a century, since many tests move the clock by months with the same signed-in
    /// clients; true keeps the production lifetimes (the session-lifetime tests).
    /// </summary>
    public bool ProductionSessionLifetimes { get; init; }

    public static readonly IReadOnlyList<string> RateLimitNames = ["SignIn", "Registration", "PasswordReset", "DataRights", "EmailChange"];

    public CapturedLogs Logs { get; } = new();

    public string BlobsFolder => Path.Combine(DataDirectory, "blobs");
    public string MailFolder => Path.Combine(DataDirectory, "mail");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Watches no files: hosts are many, and each watcher holds one of the user's few inotify instances.
        builder.UseSetting(FileWatching.Setting, "false");
        builder.UseSetting("DataDirectory", DataDirectory);
        builder.UseSetting("Seed:HrEmail", HrEmail);
        builder.UseSetting("Seed:HrPassword", HrPassword);
        builder.UseSetting("Seed:DemoJobs", "false");
        builder.UseSetting("Portal:PublicUrl", "http://localhost");
        // No clamd here; the antivirus tests turn scanning back on with one of their own (ClamdFixture).
        builder.UseSetting("Uploads:Scanner:Enabled", "false");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (OnPostgreSql)
        {
            _database ??= PostgreSqlConnectionString ?? PostgresCluster.Shared.CreateMigratedDatabaseAsync().GetAwaiter().GetResult();
            builder.UseSetting("Database:Provider", "PostgreSql");
            builder.UseSetting("Database:PostgreSqlConnectionString", _database);
        }
        if (!ProductionRateLimits)
            foreach (var limit in RateLimitNames)
                builder.UseSetting($"RateLimits:{limit}:PermitLimit", "1000000");
        if (!ProductionSessionLifetimes)
            foreach (var lifetime in new[] { "StaffLifetimeHours", "JobseekerLifetimeHours" })
                builder.UseSetting($"Sessions:{lifetime}", "876000");
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        if (TestServices is not null)
            builder.ConfigureTestServices(TestServices);
    }

    public HttpClient CreateBrowserClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<T> WithDbAsync<T>(Func<RecruitingDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<RecruitingDbContext>());
    }

    public Task WithDbAsync(Func<RecruitingDbContext, Task> action) =>
        WithDbAsync(async db => { await action(db); return true; });

    public async Task<Guid> CreatePostingAsync(string title = "Test engineer", bool open = true)
    {
        var posting = JobPosting.Create(title, "Oslo", "Build things that keep personal data safe.", DateTimeOffset.UtcNow);
        if (open) posting.Open(DateTimeOffset.UtcNow);
        await WithDbAsync(async db => { db.JobPostings.Add(posting); await db.SaveChangesAsync(); });
        return posting.Id;
    }

    /// <summary>A staff account with a known password, made directly (the invitation flow has its own test).</summary>
    public async Task<(Guid Id, string Email, string Password)> CreateStaffAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@staff.test";
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return (user.Id, email, password);
    }

    /// <summary>Marks the account's address confirmed, as the link in its confirmation mail does (that flow has its own test).</summary>
    public async Task ConfirmEmailAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException("No such user.");
        Assert.True((await users.ConfirmEmailAsync(user, await users.GenerateEmailConfirmationTokenAsync(user))).Succeeded);
    }

    /// <summary>Leaves the account's address unconfirmed (as for an account from before confirmation links, activated by
    /// signing in); for tests of what an unconfirmed address may not do.</summary>
    public Task UnconfirmEmailAsync(string email) =>
        WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.NormalizedEmail == email.ToUpperInvariant())).EmailConfirmed = false;
            await db.SaveChangesAsync();
        });

    public Task AssignAsync(Guid postingId, Guid recruiterId) =>
        WithDbAsync(async db =>
        {
            db.PostingAssignments.Add(new PostingAssignment(postingId, recruiterId, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

    public async Task<PortalBrowser> SignedInAsync(string email, string password)
    {
        var browser = new PortalBrowser(CreateBrowserClient());
        await browser.SignInAsync(email, password);
        return browser;
    }

    /// <summary>
    /// Opens the account's confirmation link (made as the mail makes it) and presses its button: this confirms the
    /// address and, for an account a visitor's apply has just made, signs the browser in. The mail itself has its own test.
    /// </summary>
    public async Task<HttpResponseMessage> FollowConfirmationLinkAsync(PortalBrowser browser, string email,
        string password = "correct horse battery staple")
    {
        string link;
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException("No such user.");
            var code = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(
                System.Text.Encoding.UTF8.GetBytes(await users.GenerateEmailConfirmationTokenAsync(user)));
            link = $"/account/confirm-email?userId={user.Id}&code={code}";
        }
        return await browser.ConfirmFromLinkAsync(link, password);
    }

    /// <summary>
    /// A visitor applies through the real form and confirms their address from the link; returns their signed-in
    /// browser and the application id.
    /// </summary>
    public async Task<(PortalBrowser Browser, Guid ApplicationId)> ApplyAsync(Guid postingId, string email, string fullName = "Ada Applicant")
    {
        var browser = new PortalBrowser(CreateBrowserClient());
        var url = $"/postings/{postingId}/apply";
        var fields = new Dictionary<string, string>
        {
            ["FullName"] = fullName, ["Email"] = email, ["Phone"] = "+47 400 00 000", ["CoverLetter"] = "Hello.",
            ["Password"] = "correct horse battery staple",
        };
        var response = await browser.SubmitAsync(url, url, fields,
            [new FormFile("Cv", "cv.pdf", Recruiting.Tests.Shared.SampleFiles.Pdf(), "application/pdf")]);
        HttpAssert.Redirect($"/postings/{postingId}/apply/sent", response);
        // As a person does, confirmed once the mail has been sent (or tried, where a test's mail server refuses it): a
        // confirmation first would rightly make that mail moot.
        await Wait.UntilAsync(() => WithDbAsync(db => db.Notifications.AnyAsync(n => db.Users.Any(u => u.Id == n.UserId && u.NormalizedEmail == email.ToUpperInvariant())
                                                                           && n.Kind == NotificationKind.ConfirmEmail && n.Attempts > 0)),
            "the confirmation mail to be sent");
        HttpAssert.Redirect("/my/applications", await FollowConfirmationLinkAsync(browser, email));
        var id = await WithDbAsync(db => db.Applications.Where(a => a.Applicant.Email == email.ToLowerInvariant() && a.JobPostingId == postingId)
            .Select(a => a.Id).SingleAsync());
        return (browser, id);
    }

    /// <summary>
    /// PostgreSQL only: every live row of every table (the application's and Hangfire's) as text, to search what the
    /// database holds. Rows deleted but not yet vacuumed are not read (docs/jobseekers.md says so).
    /// </summary>
    public Task<IReadOnlyList<string>> DatabaseRowsAsTextAsync() =>
        PostgresCluster.RowsAsTextAsync(_database ?? throw new InvalidOperationException("The portal runs on SQLite; search its files instead."));

    public IReadOnlyList<string> BlobFiles() =>
        Directory.Exists(BlobsFolder) ? Directory.GetFiles(BlobsFolder, "*", SearchOption.AllDirectories) : [];

    /// <summary>For a refused upload: no application, document, applicant, visitor account (@example.test) or blob.</summary>
    public async Task AssertNothingStoredAsync()
    {
        Assert.Equal(0, await WithDbAsync(db => db.Applications.CountAsync()));
        Assert.Equal(0, await WithDbAsync(db => db.Documents.CountAsync()));
        Assert.Equal(0, await WithDbAsync(db => db.Applicants.CountAsync()));
        Assert.Equal(0, await WithDbAsync(db => db.Users.CountAsync(u => u.Email!.EndsWith("@example.test"))));
        Assert.Empty(BlobFiles());
    }

    public IReadOnlyList<string> MailFiles() =>
        Directory.Exists(MailFolder) ? Directory.GetFiles(MailFolder, "*.eml") : [];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
            if (_database is not null && !KeepDatabase)
                PostgresCluster.Shared.DropDatabaseAsync(_database).GetAwaiter().GetResult();
        }
    }
}

public static class Wait
{
    /// <summary>Polls until the condition holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);
}

public static class HttpAssert
{
    public static void Status(HttpStatusCode expected, HttpResponseMessage response) =>
        Assert.True(response.StatusCode == expected,
            $"Expected {(int)expected} but got {(int)response.StatusCode} for {response.RequestMessage?.RequestUri}"
            + (response.StatusCode == HttpStatusCode.InternalServerError ? ServerErrors() : ""));

    /// <summary>A 302 to exactly <paramref name="path"/> (ignoring the query).</summary>
    public static void Redirect(string path, HttpResponseMessage response)
    {
        Status(HttpStatusCode.Redirect, response);
        var location = response.Headers.Location is { IsAbsoluteUri: true } absolute
            ? absolute.AbsolutePath
            : response.Headers.Location?.OriginalString.Split('?')[0];
        Assert.True(location == path, $"Expected a redirect to {path} but got one to {location}");
    }

    private static string ServerErrors() =>
        Environment.NewLine + string.Join(Environment.NewLine, CapturedLogs.All.Select(l => l.Errors()).Where(e => e.Length > 0));
}
