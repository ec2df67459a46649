using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;
using Recruiting.Core.Rights;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Retention;

/// <summary>
/// The enforcement run's housekeeping. Returns counts per kind; with dryRun it counts and deletes nothing.
/// <list type="bullet">
/// <item><c>expiredExports</c>: "Download my data" ZIPs past their time, deleted by <see cref="ExpireExportsJob"/>'s own code.</item>
/// <item><c>orphanBlobs</c>: blobs under documents/ or exports/ that no row names, last written more than a day ago
/// (younger ones may be uploads whose row is not committed yet).</item>
/// <item><c>expiredMail</c>: kept copies of sent mail (the pickup folder's .eml files) older than
/// <see cref="ISentMailCopies.KeptFor"/>, whomever they are about.</item>
/// <item><c>holdsEnded</c>: applications whose holds all reached their end date get their flag cleared, so they are due
/// again at the next run. This only corrects a stored flag and is done in a dry run too.</item>
/// <item><c>expiredEmailChanges</c>: addresses an account asked to move to whose confirmation link has expired are cleared.</item>
/// </list>
/// Document rows whose blob is missing are not counted here: <see cref="MissingDocuments"/> finds them when HR opens
/// the page. The system keeps no IP addresses (see docs/background-jobs.md, "Housekeeping"), so there are no security records to age out.
/// </summary>
public sealed class Housekeeping(RecruitingDbContext db, IBlobStore blobs, ExpireExportsJob exports, LegalHolds holds,
    IOptions<DataProtectionTokenProviderOptions> tokens, ISentMailCopies mailCopies, TimeProvider time, ILogger<Housekeeping> logger)
{
    /// <summary>How old an unreferenced blob must be before it is deleted.</summary>
    public static readonly TimeSpan OrphanMinimumAge = TimeSpan.FromDays(1);

    private const int Batch = 500;

    public async Task<IReadOnlyDictionary<string, int>> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>
        {
            ["expiredExports"] = await exports.ExpireAsync(dryRun, cancellationToken),
            ["orphanBlobs"] = await OrphansAsync("documents/", dryRun, cancellationToken) + await OrphansAsync("exports/", dryRun, cancellationToken),
            ["expiredMail"] = await mailCopies.ExpireAsync(time.GetUtcNow() - ISentMailCopies.KeptFor, dryRun, cancellationToken),
            ["holdsEnded"] = await holds.RefreshEndedAsync(cancellationToken),
            ["expiredEmailChanges"] = await ExpiredEmailChangesAsync(dryRun, cancellationToken),
        };
        logger.LogInformation("Housekeeping{DryRun}: {Counts}", dryRun ? " (dry run)" : "", AuditEvent.FormatCounts(counts));
        return counts;
    }

    /// <summary>A pending address outlives its link only until here: the link was its only use.</summary>
    private Task<int> ExpiredEmailChangesAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var requestedBefore = time.GetUtcNow() - tokens.Value.TokenLifespan;
        var expired = db.Users.Where(u => u.PendingEmailRequestedAt != null && u.PendingEmailRequestedAt <= requestedBefore);
        return dryRun
            ? expired.CountAsync(cancellationToken)
            : expired.ExecuteUpdateAsync(s => s
                .SetProperty(u => u.PendingEmail, (string?)null)
                .SetProperty(u => u.PendingEmailRequestedAt, (DateTimeOffset?)null), cancellationToken);
    }

    /// <summary>Lists the prefix once, and asks the database which names of each batch of old blobs it knows.</summary>
    private async Task<int> OrphansAsync(string prefix, bool dryRun, CancellationToken cancellationToken)
    {
        var writtenBefore = time.GetUtcNow() - OrphanMinimumAge;
        var orphans = 0;
        var batch = new List<string>(Batch);
        await foreach (var blob in blobs.ListAsync(prefix, cancellationToken))
        {
            if (blob.LastModified >= writtenBefore)
                continue;
            batch.Add(blob.Name);
            if (batch.Count == Batch)
            {
                orphans += await DeleteUnreferencedAsync(prefix, batch, dryRun, cancellationToken);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
            orphans += await DeleteUnreferencedAsync(prefix, batch, dryRun, cancellationToken);
        return orphans;
    }

    private async Task<int> DeleteUnreferencedAsync(string prefix, List<string> names, bool dryRun, CancellationToken cancellationToken)
    {
        var referenced = prefix == "documents/"
            ? await db.Documents.Where(d => names.Contains(d.BlobName)).Select(d => d.BlobName).ToListAsync(cancellationToken)
            : await db.Requests.Where(r => r.ExportBlobName != null && names.Contains(r.ExportBlobName))
                .Select(r => r.ExportBlobName!).ToListAsync(cancellationToken);
        var unreferenced = names.Except(referenced, StringComparer.Ordinal).ToList();
        if (!dryRun)
            foreach (var name in unreferenced)
                await blobs.DeleteAsync(name, cancellationToken);
        return unreferenced.Count;
    }
}
