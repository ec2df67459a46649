using System.Net;
using System.Security.Cryptography;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.Benchmarks.Harness;

/// <summary>
/// The real portal, built in Release, on Kestrel at 127.0.0.1 on a free port, on its embedded default (SQLite file,
/// filesystem blobs, in-memory Hangfire) in a fresh temporary data folder that is deleted on dispose. Testing
/// environment: the app's own appsettings.json, no developer settings. It runs in this process, so the benchmark can
/// reach its services (to create a posting, and to watch the SQL that EF sends); requests still go over real HTTP.
/// Set BENCH_KEEP_DATA=1 to keep the data folder for a look afterwards.
/// </summary>
public sealed class PortalServer : WebApplicationFactory<Program>
{
    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "recruiting-bench-" + Guid.NewGuid().ToString("N"));

    public string HrEmail { get; } = "hr@bench.test";

    public string HrPassword { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Where Kestrel listens, e.g. http://127.0.0.1:41234; set by <see cref="Start"/>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Extra settings for this benchmark's app (e.g. a retention cap above the benchmark's size).</summary>
    public Dictionary<string, string> Settings { get; } = new();

    /// <summary>The app's SQLite file (it exists once the app has migrated it).</summary>
    public string DatabaseFile => Path.Combine(DataPath, "recruiting.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Like Production, except that mail may go to the pickup folder (no SMTP server here).
        builder.UseEnvironment("Testing");
        builder.UseSetting("Uploads:Scanner:Enabled", "false"); // no clamd here
        // Watches no files: each watcher holds one of the user's few inotify instances, and a run starts many hosts.
        builder.UseSetting("hostBuilder:reloadConfigOnChange", "false");
        builder.UseSetting("DataDirectory", DataPath);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Seed:HrEmail", HrEmail);
        builder.UseSetting("Seed:HrPassword", HrPassword);
        builder.UseSetting("Seed:DemoJobs", "false");
        // Every client of a benchmark is 127.0.0.1: the per-client rate limits would measure the limiter.
        foreach (var limit in new[] { "SignIn", "Registration", "PasswordReset", "DataRights" })
            builder.UseSetting($"RateLimits:{limit}:PermitLimit", "1000000");
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
    }

    public void Start()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.SingleOrDefault()
                      ?? throw new InvalidOperationException("Kestrel reported no address to listen on.");
        BaseAddress = new Uri(address);
        if (!IPAddress.TryParse(BaseAddress.Host, out var ip) || !IPAddress.IsLoopback(ip))
            throw new InvalidOperationException($"Kestrel listens on {address}, not on loopback.");

        var actual = Services.GetRequiredService<DataDirectory>().Path;
        if (actual != Path.GetFullPath(DataPath))
            throw new InvalidOperationException($"The app uses the data folder {actual}, not the benchmark's {DataPath}.");
        if (!File.Exists(DatabaseFile))
            throw new InvalidOperationException($"The app did not create its database at {DatabaseFile}.");
    }

    /// <summary>Creates an open posting through the app's own model and DbContext.</summary>
    public async Task<JobPosting> CreateOpenPostingAsync(string title, string location, string description, DateTimeOffset now)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecruitingDbContext>();
        var posting = JobPosting.Create(title, location, description, now);
        posting.Open(now);
        db.JobPostings.Add(posting);
        await db.SaveChangesAsync();
        return posting;
    }

    /// <summary>An HttpClient over real sockets that keeps cookies and does not follow redirects, signed in as HR.</summary>
    public async Task<HttpClient> SignedInHrClientAsync(CancellationToken cancellationToken)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

        var loginHtml = await client.GetStringAsync("/account/login", cancellationToken);
        var page = await new HtmlParser().ParseDocumentAsync(loginHtml, cancellationToken);
        var token = page.QuerySelector("form[action='/account/login'] input[name=__RequestVerificationToken]")?.GetAttribute("value")
                    ?? throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = HrEmail,
            ["Password"] = HrPassword,
            ["__RequestVerificationToken"] = token,
        }), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Signing in as HR answered {(int)response.StatusCode}, not a redirect.");
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("BENCH_KEEP_DATA") == "1")
        {
            Console.WriteLine($"BENCH_KEEP_DATA=1: kept the data folder {DataPath}");
            return;
        }
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
