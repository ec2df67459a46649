using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.BrowserTests;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 on a free port, so a real browser can reach it. Its state lives in a fresh
/// temporary data folder, deleted on dispose; the first HR account gets a random password and no demo postings are seeded.
/// </summary>
public sealed class RecruitingApp : WebApplicationFactory<Program>
{
    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "recruiting-browser-" + Guid.NewGuid().ToString("N"));

    public string HrPassword { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Where Kestrel listens, e.g. http://127.0.0.1:41234; set by <see cref="Start"/>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Production: no developer settings file (it turns demo postings on), no user secrets, the real error pages.
        builder.UseEnvironment("Production");
        builder.UseSetting("DataDirectory", DataPath);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Seed:HrPassword", HrPassword);
        builder.UseSetting("Seed:DemoJobs", "false");
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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
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
