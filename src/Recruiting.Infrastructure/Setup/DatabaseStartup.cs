using Recruiting.Core.Data;
using Recruiting.Core.Rights;
using Recruiting.Core.Storage;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Jobs;

namespace Recruiting.Infrastructure.Setup;

public static class DatabaseStartup
{
    /// <summary>
    /// Makes the database ready (the embedded default migrates itself; the scale-out profile only checks), seeds and
    /// schedules jobs. Returns why the portal must not start, or null.
    /// </summary>
    public static async Task<string?> PrepareAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var embedded = services.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Sqlite;
        if (embedded)
            await DatabaseSchema.MigrateAsync(services, cancellationToken);
        else if (await DatabaseSchema.WhatIsBehindAsync(services, cancellationToken) is { } behind)
            return behind;

        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<FirstRun>().RunAsync(cancellationToken);
            // The embedded database has one process; claims on requests that an earlier, killed one held are void.
            if (embedded)
                await RequestClaims.VoidAllAsync(scope.ServiceProvider.GetRequiredService<RecruitingDbContext>(), cancellationToken);
            // What a killed process may have left of deleted data (WAL frames, upload temp files); nothing writes yet.
            foreach (var scrubber in scope.ServiceProvider.GetServices<IErasureScrubber>())
                await scrubber.ScrubAsync(TimeSpan.Zero, cancellationToken);
        }
        HangfireSetup.ScheduleRecurringJobs(services);
        return null;
    }
}
