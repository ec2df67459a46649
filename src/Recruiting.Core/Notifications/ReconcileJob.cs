using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;

namespace Recruiting.Core.Notifications;

/// <summary>
/// When this process's Hangfire storage began, if it does not outlive the process (in memory): every job handed over
/// before then is gone, so the reconcile job treats it as stale. Null for storage that survives restarts.
/// </summary>
public sealed record JobStorageEpoch(DateTimeOffset? LostBefore);

/// <summary>
/// Re-hands to Hangfire the work the application database says is unfinished, so that losing Hangfire's storage
/// (in-memory in the embedded default) loses nothing: Hangfire only executes.
/// </summary>
public sealed class ReconcileJob(RecruitingDbContext db, IBackgroundJobClient jobs, TimeProvider time, JobStorageEpoch epoch,
    ILogger<ReconcileJob> logger)
{
    public const string RecurringJobId = "reconcile";

    /// <summary>How long a handed-over job may take before it is handed over again.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Work handed to a storage that did not survive a restart is lost however recent: it is re-handed at once.
        var staleBefore = epoch.LostBefore is { } lostBefore && lostBefore > now - StaleAfter ? lostBefore : now - StaleAfter;
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
        var requests = await ReconcileRequestsAsync(now, staleBefore, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var policies = await ReconcilePoliciesAsync(staleBefore, cancellationToken);
        if (stale.Count > 0 || requests > 0 || policies > 0)
            logger.LogInformation("Reconcile re-enqueued {Count} notifications, {Requests} requests and {Policies} retention policies",
                stale.Count, requests, policies);
    }

    /// <summary>Retention policy versions whose due dates were handed to a job that never finished.</summary>
    private async Task<int> ReconcilePoliciesAsync(DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        var owed = await db.RetentionPolicies
            .Where(p => p.AppliedAt == null && p.ChangedAt < staleBefore)
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        foreach (var policyId in owed)
            jobs.Enqueue<RetentionPolicies>(j => j.ApplyAsync(policyId, CancellationToken.None));
        return owed.Count;
    }

    /// <summary>Access and erasure requests whose job never ran to the end, and erasures on hold whose holds have ended.</summary>
    private async Task<int> ReconcileRequestsAsync(DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        var unfinished = await db.Requests
            .Where(r => (r.Type == RequestType.Access || r.Type == RequestType.Erasure)
                && (r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress)
                && (r.EnqueuedAt == null || r.EnqueuedAt < staleBefore))
            .OrderBy(r => r.ReceivedAt)
            .Take(500)
            .ToListAsync(cancellationToken);
        var held = await db.Requests
            .Where(r => r.Type == RequestType.Erasure && r.Status == RequestStatus.OnHold
                && !db.LegalHolds.Any(h => h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > now)
                    && (h.ApplicantId == r.ApplicantId
                        || db.Applications.Any(a => a.Id == h.ApplicationId && a.ApplicantId == r.ApplicantId))))
            .OrderBy(r => r.ReceivedAt)
            .Take(500)
            .ToListAsync(cancellationToken);

        foreach (var request in unfinished.Concat(held))
        {
            if (request.Type == RequestType.Access)
                jobs.Enqueue<ExportJob>(j => j.RunAsync(request.Id, CancellationToken.None));
            else
                jobs.Enqueue<ErasureJob>(j => j.RunAsync(request.Id, CancellationToken.None));
            request.MarkEnqueued(now);
        }
        return unfinished.Count + held.Count;
    }
}
