using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Rights;

/// <summary>
/// Recurring: deletes every "Download my data" ZIP whose time is up (Privacy:ExportRetentionDays after it was made).
/// The blob goes first, then the request forgets it; a crash in between leaves a name whose blob is missing, which
/// the next run treats as deleted.
/// </summary>
public sealed class ExpireExportsJob(RecruitingDbContext db, IBlobStore blobs, TimeProvider time, ILogger<ExpireExportsJob> logger)
{
    public const string RecurringJobId = "expire-exports";
    private const int Batch = 200;

    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deleted = 0;
        while (true)
        {
            var expired = await db.Requests
                .Where(r => r.ExportBlobName != null && r.ExportExpiresAt <= now)
                .OrderBy(r => r.ExportExpiresAt)
                .Take(Batch)
                .ToListAsync(cancellationToken);
            foreach (var request in expired)
            {
                await blobs.DeleteAsync(request.ExportBlobName!, cancellationToken);
                request.ForgetExport();
                db.AuditEvents.Add(AuditEvent.Record(AuditAction.ExportDeleted, AuditEvent.SystemActor, null, now,
                    requestId: request.Id, applicantId: request.ApplicantId));
                await db.SaveChangesAsync(cancellationToken);
                deleted++;
            }
            if (expired.Count < Batch)
                break;
        }
        if (deleted > 0)
            logger.LogInformation("Deleted {Count} expired exports", deleted);
    }
}
