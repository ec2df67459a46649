using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Rights;

/// <summary>
/// Re-hands to Hangfire the access and erasure requests whose job never ran to the end, and the erasures on hold
/// whose holds have ended, so that losing Hangfire's storage loses no request: the application database says what
/// is unfinished.
/// </summary>
public sealed class RequestReconcileJob(RecruitingDbContext db, IBackgroundJobClient jobs, TimeProvider time, JobStorageEpoch epoch,
    ILogger<RequestReconcileJob> logger)
{
    public const string RecurringJobId = "reconcile-requests";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var staleBefore = epoch.StaleBefore(now);
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
        await db.SaveChangesAsync(cancellationToken);
        if (unfinished.Count + held.Count > 0)
            logger.LogInformation("Reconcile re-enqueued {Requests} requests", unfinished.Count + held.Count);
    }
}
