using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;

namespace Recruiting.Core.Notifications;

/// <summary>
/// Re-hands to Hangfire the mail the application database says is unsent, so that losing Hangfire's storage
/// (in-memory in the embedded default), or an enqueue that failed after its commit, loses nothing: Hangfire only
/// executes. The features' own unfinished work has reconcile jobs of their own beside it.
/// </summary>
public sealed class ReconcileJob(RecruitingDbContext db, IBackgroundJobClient jobs, TimeProvider time, JobStorageEpoch epoch,
    ILogger<ReconcileJob> logger)
{
    public const string RecurringJobId = "reconcile";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var staleBefore = epoch.StaleBefore(now);
        var stale = await db.Notifications
            .Where(n => n.SentAt == null && (n.EnqueuedAt == null || n.EnqueuedAt < staleBefore))
            .OrderBy(n => n.CreatedAt)
            .Take(500)
            .ToListAsync(cancellationToken);

        foreach (var batch in stale.Chunk(NotificationOutbox.MaxBatch))
        {
            var ids = batch.Select(n => n.Id).ToArray();
            jobs.Enqueue<NotificationJob>(j => j.SendAllAsync(ids, CancellationToken.None));
            foreach (var notification in batch)
                notification.MarkEnqueued(now);
        }
        await db.SaveChangesAsync(cancellationToken);
        if (stale.Count > 0)
            logger.LogInformation("Reconcile re-enqueued {Count} notifications", stale.Count);
    }
}
