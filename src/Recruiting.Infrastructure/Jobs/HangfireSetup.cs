using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Recruiting.Core.Notifications;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.Infrastructure.Data;

namespace Recruiting.Infrastructure.Jobs;

public static class HangfireSetup
{
    public const string PostgreSqlSchema = "hangfire";

    /// <summary>
    /// The embedded default keeps Hangfire's storage in memory: the application database is the system of record,
    /// and the reconcile job re-enqueues whatever a restart dropped. On PostgreSQL, Hangfire's
    /// tables sit beside the application's, so every instance shares one queue, one set of recurring jobs and their locks.
    /// </summary>
    public static IServiceCollection AddRecruitingHangfire(this IServiceCollection services, IConfiguration configuration,
        DatabaseOptions database)
    {
        var options = configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions();
        services.AddSingleton(options);
        // A request job taken over from a silent instance finds that instance's claim run out (see RequestClaims).
        services.AddSingleton(new RequestClaimLease(options.InvisibilityTimeout));
        // Storage and activator are this host's own services, not Hangfire's process-wide statics
        // (JobStorage.Current, JobActivator.Current), so two hosts in one process never share jobs.
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            services.AddSingleton(new JobStorageEpoch(null));
            services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(
                new NpgsqlConnectionFactory(database.PostgreSqlConnectionString, PostgreSqlOptions(options)),
                PostgreSqlOptions(options)));
        }
        else
        {
            // The epoch is taken as the storage is made, before anything can be enqueued: jobs of an earlier process are lost.
            services.AddSingleton(sp => new JobStorageEpoch(sp.GetRequiredService<TimeProvider>().GetUtcNow()));
            services.AddSingleton<JobStorage>(sp =>
            {
                _ = sp.GetRequiredService<JobStorageEpoch>();
                return new InMemoryStorage();
            });
        }
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHangfireServer(server =>
        {
            server.WorkerCount = options.WorkerCount;
            server.SchedulePollingInterval = options.SchedulePollingInterval;
        });
        return services;
    }

    private static PostgreSqlStorageOptions PostgreSqlOptions(JobOptions options) => new()
    {
        SchemaName = PostgreSqlSchema,
        // The migrate command installs the schema; instances never alter it (see DatabaseSchema).
        PrepareSchemaIfNecessary = false,
        // LISTEN/NOTIFY wakes a waiting worker as soon as a job is enqueued; polling stays as the fallback.
        EnableLongPolling = true,
        QueuePollInterval = TimeSpan.FromSeconds(5),
        InvisibilityTimeout = options.InvisibilityTimeout,
        UseSlidingInvisibilityTimeout = true,
    };

    /// <summary>Recurring jobs have constant ids, so every start (and every instance) updates the same entries.</summary>
    public static void ScheduleRecurringJobs(IServiceProvider services)
    {
        var options = services.GetRequiredService<JobOptions>();
        var recurring = services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<ReconcileJob>(ReconcileJob.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            options.ReconcileCron);
        recurring.AddOrUpdate<RequestReconcileJob>(RequestReconcileJob.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            options.ReconcileCron);
        recurring.AddOrUpdate<PolicyReconcileJob>(PolicyReconcileJob.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            options.ReconcileCron);
        recurring.AddOrUpdate<ExpireExportsJob>(ExpireExportsJob.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            options.ExpireExportsCron);
        recurring.AddOrUpdate<RetentionJob>(RetentionJob.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            options.RetentionCron);
        recurring.AddOrUpdate<OrphanSweepJob>(OrphanSweepJob.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            options.OrphanSweepCron);
        // Work a stopped process left unfinished resumes at start, not at the next tick of the schedule.
        recurring.Trigger(ReconcileJob.RecurringJobId);
        recurring.Trigger(RequestReconcileJob.RecurringJobId);
        recurring.Trigger(PolicyReconcileJob.RecurringJobId);
    }
}
