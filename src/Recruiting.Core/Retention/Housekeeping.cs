using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Retention;

/// <summary>
/// The enforcement run's housekeeping. Returns counts per kind; with dryRun it counts and deletes nothing.
/// <list type="bullet">
/// <item><c>expiredExports</c>: "Download my data" ZIPs past their time, deleted by the exports' own code (<see cref="IExportFiles"/>).</item>
/// <item><c>expiredMail</c>: kept copies of sent mail (the pickup folder's .eml files) older than
/// <see cref="ISentMailCopies.KeptFor"/>, whomever they are about.</item>
/// <item><c>holdsEnded</c>: applications whose holds all reached their end date get their flag cleared, so they are due
/// again at the next run. This only corrects a stored flag and is done in a dry run too.</item>
/// <item><c>expiredEmailChanges</c>: addresses an account asked to move to whose confirmation link has expired are cleared.</item>
/// </list>
/// Blobs no row names are not looked for here: listing the whole store would cost every run far more than the rest,
/// so <see cref="OrphanSweepJob"/> sweeps them daily, part by part. Document rows whose blob is missing are not counted here: <see cref="MissingDocuments"/> finds them when HR opens
/// the page. The system keeps no IP addresses (see docs/background-jobs.md, "Housekeeping"), so there are no security records to age out.
/// </summary>
public sealed class Housekeeping(RecruitingDbContext db, IExportFiles exports, LegalHolds holds,
    IOptions<DataProtectionTokenProviderOptions> tokens, ISentMailCopies mailCopies, TimeProvider time, ILogger<Housekeeping> logger)
{
    public async Task<IReadOnlyDictionary<string, int>> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>
        {
            ["expiredExports"] = await exports.ExpireAsync(dryRun, cancellationToken),
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
}
