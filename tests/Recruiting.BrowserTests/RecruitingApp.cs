using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Postings;
using Recruiting.Core.Privacy;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.BrowserTests;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 on a free port, so a real browser can reach it. Its state lives in a fresh
/// temporary data folder, deleted on dispose, and SQLite, or with RECRUITING_TEST_DATABASE=PostgreSql a fresh database
/// of a throwaway PostgreSQL cluster; the first HR account gets a random password and no demo postings are seeded.
/// </summary>
public sealed class RecruitingApp : WebApplicationFactory<Program>
{
    public static bool OnPostgreSql { get; } =
        string.Equals(Environment.GetEnvironmentVariable("RECRUITING_TEST_DATABASE"), "PostgreSql", StringComparison.OrdinalIgnoreCase);

    private string? _database;

    /// <summary>PostgreSQL only: every row of the database as text, to search what it holds.</summary>
    public Task<IReadOnlyList<string>> DatabaseRowsAsTextAsync() =>
        Recruiting.IntegrationTests.Fixtures.PostgresCluster.RowsAsTextAsync(_database ?? throw new InvalidOperationException("SQLite: search the data folder."));

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "recruiting-browser-" + Guid.NewGuid().ToString("N"));

    /// <summary>The first HR account, created on the first run.</summary>
    public string HrEmail { get; } = "hr@example.com";

    public string HrPassword { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The mail the app sends, as .eml files in &lt;DataDirectory&gt;/mail.</summary>
    public MailDrop Mail => new(Path.Combine(DataPath, "mail"));

    /// <summary>Where Kestrel listens, e.g. http://127.0.0.1:41234; set by <see cref="Start"/>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Testing, like Production outside mail: no developer settings file (it turns demo postings on), no user
        // secrets, the real error pages; mail goes to the pickup folder the tests read, which only Development and
        // Testing allow.
        builder.UseEnvironment("Testing");
        builder.UseSetting("Uploads:Scanner:Enabled", "false"); // no clamd here
        // Watches no files: each watcher holds one of the user's few inotify instances, and the suite starts many hosts.
        builder.UseSetting("hostBuilder:reloadConfigOnChange", "false");
        builder.UseSetting("DataDirectory", DataPath);
        if (OnPostgreSql)
        {
            _database ??= Recruiting.IntegrationTests.Fixtures.PostgresCluster.Shared.CreateMigratedDatabaseAsync().GetAwaiter().GetResult();
            builder.UseSetting("Database:Provider", "PostgreSql");
            builder.UseSetting("Database:PostgreSqlConnectionString", _database);
        }
        else
        {
            builder.UseSetting("Database:Provider", "Sqlite");
        }
        builder.UseSetting("Seed:HrEmail", HrEmail);
        builder.UseSetting("Seed:HrPassword", HrPassword);
        builder.UseSetting("Seed:DemoJobs", "false");
        // Every test browser comes from 127.0.0.1: raise the per-client rate limits above what the tests send.
        foreach (var limit in new[] { "SignIn", "Registration", "PasswordReset", "DataRights" })
            builder.UseSetting($"RateLimits:{limit}:PermitLimit", "1000000");
    }

    public void Start()
    {
        UseKestrel(0);
        StartServer();

        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.SingleOrDefault()
                      ?? throw new InvalidOperationException("Kestrel reported no address to listen on.");
        BaseAddress = new Uri(address);

        // Program reads DataDirectory before the factory's settings could be too late; make sure they were not.
        var actual = Services.GetRequiredService<DataDirectory>().Path;
        if (actual != Path.GetFullPath(DataPath))
            throw new InvalidOperationException($"The app uses the data folder {actual}, not the test's {DataPath}.");
    }

    /// <summary>Creates a posting through the app's own model and DbContext, and opens it.</summary>
    public async Task<JobPosting> CreateOpenPostingAsync(string title, string location, string description)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecruitingDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var posting = JobPosting.Create(title, location, description, now);
        posting.Open(now);
        db.JobPostings.Add(posting);
        await db.SaveChangesAsync();
        return posting;
    }

    /// <summary>
    /// Submits an application with a PDF CV through the app's own intake (new jobseeker account included), for tests
    /// whose subject is not the apply form.
    /// </summary>
    public async Task<Guid> SubmitApplicationAsync(Guid postingId, string fullName, string email, string password, byte[] cv)
    {
        await using var scope = Services.CreateAsyncScope();
        var intake = scope.ServiceProvider.GetRequiredService<ApplicationIntake>();
        var result = await intake.ApplyAsync(new ApplyRequest(
            postingId, UserId: null, password, new ContactDetails(fullName, email, "+47 400 00 000", null),
            "I would like to work with you.", (await scope.ServiceProvider.GetRequiredService<PrivacyNotices>()
                .ForPostingAsync(postingId, CancellationToken.None)).Version,
            new IncomingFile("cv.pdf", cv.Length, _ => Task.FromResult<Stream>(new MemoryStream(cv, writable: false))), []));
        return result.ApplicationId
               ?? throw new InvalidOperationException("The application was refused: " + string.Join(" ", result.Errors.Values));
    }

    /// <summary>
    /// A recruiter account with a confirmed address, assigned to the posting, made through Identity and the app's
    /// DbContext (the invitation flow through HR's pages has its own test in <see cref="RecruiterJourneyTests"/>).
    /// </summary>
    public async Task<(string Email, string Password)> CreateRecruiterAsync(Guid postingId)
    {
        var email = $"recruiter-{Guid.NewGuid():N}@staff.test";
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = now };
        Require(await users.CreateAsync(user, password));
        Require(await users.AddToRoleAsync(user, Roles.Recruiter));
        var db = scope.ServiceProvider.GetRequiredService<RecruitingDbContext>();
        db.PostingAssignments.Add(new PostingAssignment(postingId, user.Id, now));
        await db.SaveChangesAsync();
        return (email, password);

        static void Require(IdentityResult result)
        {
            if (!result.Succeeded)
                throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>A look at the app's database through its own DbContext, in a scope of its own.</summary>
    public async Task<T> WithDbAsync<T>(Func<RecruitingDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<RecruitingDbContext>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_database is not null)
            await Recruiting.IntegrationTests.Fixtures.PostgresCluster.Shared.DropDatabaseAsync(_database);
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing the run for.
        }
    }
}
