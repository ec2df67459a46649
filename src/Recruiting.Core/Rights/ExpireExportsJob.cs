using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Retention;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Rights;

/// <summary>
/// Recurring: deletes every "Download my data" ZIP whose time is up (Privacy:ExportRetentionDays after it was made).
/// The blob goes first, then the request forgets it; a crash in between leaves a name whose blob is missing, which
/// the next run treats as deleted. Also deletes visitors' unconfirmed requests whose link has expired: they hold an address.
/// </summary>
public sealed class ExpireExportsJob(RecruitingDbContext db, IBlobStore blobs, TimeProvider time, ILogger<ExpireExportsJob> logger) : IExportFiles
{
    public const string RecurringJobId = "expire-exports";
    private const int Batch = 200;

    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await ExpireAsync(dryRun: false, cancellationToken);
        var now = time.GetUtcNow();
        var purged = await db.VisitorRequests.Where(v => v.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        if (purged > 0)
            logger.LogInformation("Deleted {Count} unconfirmed visitor requests whose link expired", purged);
    }

    /// <summary>
    /// Deletes the expired exports and returns how many; with <paramref name="dryRun"/> only counts them. Also called by
    /// the retention run's housekeeping. The request forgets its ZIP only if no concurrent run did first, so each
    /// deletion is audited once.
    /// </summary>
    public async Task<int> ExpireAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expiredNow = db.Requests.Where(r => r.ExportBlobName != null && r.ExportExpiresAt <= now);
        if (dryRun)
            return await expiredNow.CountAsync(cancellationToken);

        var deleted = 0;
        while (true)
        {
            var expired = await expiredNow
                .OrderBy(r => r.ExportExpiresAt)
                .Select(r => new { r.Id, r.ApplicantId, BlobName = r.ExportBlobName! })
                .Take(Batch)
                .ToListAsync(cancellationToken);
            foreach (var request in expired)
            {
                await blobs.DeleteAsync(request.BlobName, cancellationToken);
                var forgotten = await db.Requests.Where(r => r.Id == request.Id && r.ExportBlobName == request.BlobName)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.ExportBlobName, (string?)null).SetProperty(r => r.ExportSize, (long?)null),
                        cancellationToken);
                if (forgotten == 0)
                    continue; // another run got there first and audited it
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
        return deleted;
    }

    public Task<List<string>> NamedAsync(IReadOnlyCollection<string> blobNames, CancellationToken cancellationToken) =>
        db.Requests.Where(r => r.ExportBlobName != null && blobNames.Contains(r.ExportBlobName))
            .Select(r => r.ExportBlobName!).ToListAsync(cancellationToken);
}
