using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;

namespace Recruiting.Core.Notifications;

/// <summary>
/// Re-hands to Hangfire the work the application database says is unfinished, so that losing Hangfire's storage
/// (in-memory in the embedded default) loses nothing (DESIGN invariant 1).
/// </summary>
public sealed class ReconcileJob(RecruitingDbContext db, IBackgroundJobClient jobs, TimeProvider time, ILogger<ReconcileJob> logger)
{
    public const string RecurringJobId = "reconcile";

    /// <summary>How long a handed-over job may take before it is handed over again.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var staleBefore = now - StaleAfter;
        var stale = await db.Notifications
            .Where(n => n.SentAt == null && (n.EnqueuedAt == null || n.EnqueuedAt < staleBefore))
            .OrderBy(n => n.CreatedAt)
            .Take(500)
            .ToListAsync(cancellationToken);

        foreach (var notification in stale)
        {
            jobs.Enqueue<NotificationJob>(j => j.SendAsync(notification.Id, CancellationToken.None));
            notification.MarkEnqueued(now);
        }
        await db.SaveChangesAsync(cancellationToken);
        if (stale.Count > 0)
            logger.LogInformation("Reconcile re-enqueued {Count} notifications", stale.Count);
    }
}
