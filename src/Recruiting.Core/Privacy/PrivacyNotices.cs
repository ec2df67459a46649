using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Data;
using Recruiting.Core.Retention;

namespace Recruiting.Core.Privacy;

/// <summary>
/// The privacy notice as it reads now, from the live retention policies, and the archive of every text shown. Every
/// notice handed out is archived first, so whatever version a form carries back resolves to its text.
/// </summary>
public sealed class PrivacyNotices(RecruitingDbContext db, DueDates dueDates, IOptions<PrivacyOptions> privacy, KeptNotices kept,
    TimeProvider time)
{
    /// <summary>The notice on a posting's apply form: the periods in force for that posting.</summary>
    public async Task<PrivacyNotice> ForPostingAsync(Guid postingId, CancellationToken cancellationToken) =>
        await KeptAsync(await dueDates.PeriodsForAsync(postingId, cancellationToken), forPosting: true, cancellationToken);

    /// <summary>The general notice (/privacy): the default policy's periods.</summary>
    public async Task<PrivacyNotice> GeneralAsync(CancellationToken cancellationToken) =>
        // No posting has the empty id, so this is the default policy (or the settings until HR saves one).
        await KeptAsync(await dueDates.PeriodsForAsync(Guid.Empty, cancellationToken), forPosting: false, cancellationToken);

    /// <summary>The archived text of a version, or null when no such version was ever shown.</summary>
    public Task<PrivacyNoticeText?> TextOfAsync(string version, CancellationToken cancellationToken) =>
        db.NoticeTexts.AsNoTracking().SingleOrDefaultAsync(t => t.Version == version, cancellationToken);

    private async Task<PrivacyNotice> KeptAsync(RetentionPeriods periods, bool forPosting, CancellationToken cancellationToken)
    {
        if (kept.Find(periods, forPosting) is { } known)
            return known;
        var notice = await ArchivedAsync(PrivacyNotice.Build(privacy.Value, periods, forPosting), cancellationToken);
        kept.Add(periods, forPosting, notice);
        return notice;
    }

    private async Task<PrivacyNotice> ArchivedAsync(PrivacyNotice notice, CancellationToken cancellationToken)
    {
        if (await db.NoticeTexts.AnyAsync(t => t.Version == notice.Version, cancellationToken))
            return notice;
        var row = PrivacyNoticeText.Of(notice, time.GetUtcNow());
        db.NoticeTexts.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request archived the same text first: the same words, so nothing is lost. Anything else is a real failure.
            db.Entry(row).State = EntityState.Detached;
            if (!await db.NoticeTexts.AsNoTracking().AnyAsync(t => t.Version == notice.Version, cancellationToken))
                throw;
        }
        db.Entry(row).State = EntityState.Detached;
        return notice;
    }
}

/// <summary>
/// The notices this process has built and archived, by what they are built from. Every apply form shown and submitted
/// needs its notice; building one hashes its whole text and archiving it costs a database read. A notice depends only
/// on the privacy settings, fixed while the process runs, and on the periods, so each one is built and archived once.
/// Archived texts are never deleted, so a notice found here is archived. The periods in force are still read on every
/// request: an edited policy shows at once, on every instance.
/// </summary>
public sealed class KeptNotices
{
    private readonly ConcurrentDictionary<(RetentionPeriods Periods, bool ForPosting), PrivacyNotice> _notices = new();

    public PrivacyNotice? Find(RetentionPeriods periods, bool forPosting) => _notices.GetValueOrDefault((periods, forPosting));

    public void Add(RetentionPeriods periods, bool forPosting, PrivacyNotice notice) => _notices.TryAdd((periods, forPosting), notice);
}
