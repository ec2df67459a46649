using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Rights;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Jobs;

namespace Recruiting.Infrastructure.Setup;

public static class DatabaseStartup
{
    /// <summary>Brings the database up to date (the embedded default migrates itself), seeds, and schedules jobs.</summary>
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RecruitingDbContext>();
            var options = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
            if (options.Provider == DatabaseProvider.Sqlite)
            {
                await db.Database.MigrateAsync(cancellationToken);
                // WAL lets readers work while one request writes; it is a property of the file, so once is enough.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            }
            await scope.ServiceProvider.GetRequiredService<FirstRun>().RunAsync(cancellationToken);
            // What a killed process may have left of deleted data (WAL frames, upload temp files); nothing writes yet.
            foreach (var scrubber in scope.ServiceProvider.GetServices<IErasureScrubber>())
                await scrubber.ScrubAsync(TimeSpan.Zero, cancellationToken);
        }
        HangfireSetup.ScheduleRecurringJobs(services);
    }
}
