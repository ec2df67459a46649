using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Retention;

/// <summary>
/// Re-hands to Hangfire the retention policy versions whose due dates were handed to a job that never finished, so
/// that losing Hangfire's storage leaves no version unapplied.
/// </summary>
public sealed class PolicyReconcileJob(RecruitingDbContext db, IBackgroundJobClient jobs, TimeProvider time, JobStorageEpoch epoch,
    ILogger<PolicyReconcileJob> logger)
{
    public const string RecurringJobId = "reconcile-policies";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var staleBefore = epoch.StaleBefore(time.GetUtcNow());
        var owed = await db.RetentionPolicies
            .Where(p => p.AppliedAt == null && p.ChangedAt < staleBefore)
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        foreach (var policyId in owed)
            jobs.Enqueue<RetentionPolicies>(j => j.ApplyAsync(policyId, CancellationToken.None));
        if (owed.Count > 0)
            logger.LogInformation("Reconcile re-enqueued {Policies} retention policies", owed.Count);
    }
}
