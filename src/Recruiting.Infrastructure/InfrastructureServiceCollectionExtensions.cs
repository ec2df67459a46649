using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recruiting.Core.Data;
using Recruiting.Infrastructure.Blobs;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Health;
using Recruiting.Infrastructure.Jobs;
using Recruiting.Infrastructure.Logging;
using Recruiting.Infrastructure.Mail;
using Recruiting.Infrastructure.Scanning;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.Infrastructure;

public static class InfrastructureServiceCollectionExtensions
{
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The adapters: database, blob store, mail, upload scanner, Hangfire, Data Protection keys, health checks, first-run setup;
    /// and the log filters that keep the framework's personal-data lines out.</summary>
    public static IServiceCollection AddRecruitingInfrastructure(this IServiceCollection services, IConfiguration configuration,
        DataDirectory dataDirectory)
    {
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(dataDirectory);
        services.AddRecruitingDatabase(database, dataDirectory);
        services.AddBlobStore(configuration, dataDirectory.Path);
        services.AddSingleton<Core.Storage.IErasureScrubber, StaleTempFileScrubber>();
        services.AddRecruitingHangfire(configuration, database);
        services.AddRecruitingMail(configuration, dataDirectory);
        services.AddUploadScanning(configuration);
        services.AddPersonalDataLogFilters();

        services.Configure<SeedOptions>(configuration.GetSection(SeedOptions.Section));
        services.AddScoped<FirstRun>();

        // One application name and one key ring in the database: what one instance protects, every instance reads.
        services.AddDataProtection()
            .SetApplicationName("Recruiting")
            .PersistKeysToDbContext<RecruitingDbContext>();

        services.AddHealthChecks()
            .AddDbContextCheck<RecruitingDbContext>("database")
            .AddCheck<BlobStoreHealthCheck>("blobs")
            .AddCheck<JobsHealthCheck>("jobs");
        // A load balancer's probe waits seconds; a client retrying a store that is down takes far longer (the Azure
        // SDK's retries: about 25 s). A check that has not answered in time counts as failed.
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var check in options.Registrations)
                check.Timeout = HealthCheckTimeout;
        });
        return services;
    }
}
