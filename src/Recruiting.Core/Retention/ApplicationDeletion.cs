using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Retention;

/// <summary>
/// Deletes applications with everything that hangs off them: their documents' blobs, then, in one transaction, their
/// notes, documents, the consents given for them, the access-log entries about them and the rows themselves, adding
/// each deleted application to its posting's anonymous statistics. The one place both the enforcement run
/// (<see cref="RetentionJob"/>) and an erasure (<see cref="Rights.ErasureJob"/>) delete applications.
/// </summary>
/// <remarks>
/// Blobs go first because the document rows are the only record of their names. A crash after the blobs and before
/// the rows leaves rows whose blobs are missing: the next call deletes them (a missing blob counts as deleted).
/// Statistics are counted from the rows this transaction actually deleted; if another transaction deleted some of them
/// first, the affected-row count differs and the transaction is rolled back, so nothing is ever counted twice.
/// </remarks>
public sealed class ApplicationDeletion(RecruitingDbContext db, IBlobStore blobs, ISentMailCopies mailCopies)
{
    /// <summary>Blob deletes in flight at once: a blob store is mostly waiting (a disk, or Azure's round trips).</summary>
    public const int ParallelBlobDeletes = 8;

    /// <summary>
    /// Deletes the blobs of the applications' documents, and the kept copies of the mails about them (they name the
    /// applicant and the posting); returns how many blobs existed.
    /// </summary>
    public async Task<int> DeleteBlobsAsync(IReadOnlyCollection<Guid> applicationIds, CancellationToken cancellationToken) =>
        await DeleteBlobsAsync(await FindBlobsAsync(applicationIds, cancellationToken), cancellationToken);

    /// <summary>What <see cref="DeleteBlobsAsync(BlobsOfApplications, CancellationToken)"/> deletes, read from the database.</summary>
    public async Task<BlobsOfApplications> FindBlobsAsync(IReadOnlyCollection<Guid> applicationIds, CancellationToken cancellationToken)
    {
        var mailIds = mailCopies.KeepsCopies
            ? await db.Notifications.Where(n => n.ApplicationId != null && applicationIds.Contains(n.ApplicationId.Value))
                .Select(n => n.Id).ToListAsync(cancellationToken)
            : [];
        var names = await db.Documents.Where(d => applicationIds.Contains(d.ApplicationId)).Select(d => d.BlobName)
            .ToListAsync(cancellationToken);
        return new BlobsOfApplications(names, mailIds);
    }

    /// <summary>
    /// Deletes found blobs and mail copies without touching the database, so it may run while the context deletes
    /// other applications' rows. Returns how many blobs existed.
    /// </summary>
    public async Task<int> DeleteBlobsAsync(BlobsOfApplications found, CancellationToken cancellationToken)
    {
        if (found.MailIds.Count > 0)
            await mailCopies.DeleteAsync(found.MailIds, cancellationToken);
        var deleted = 0;
        await Parallel.ForEachAsync(found.BlobNames, new ParallelOptions { MaxDegreeOfParallelism = ParallelBlobDeletes, CancellationToken = cancellationToken },
            async (name, ct) =>
            {
                if (await blobs.DeleteAsync(name, ct))
                    Interlocked.Increment(ref deleted);
            });
        return deleted;
    }

    /// <summary>
    /// Deletes the rows of those applications that still exist, inside the caller's transaction (the caller commits),
    /// marks applicants left without applications (<see cref="Applications.Applicant.ApplicationsDeletedAt"/>), and adds
    /// them to the statistics. Returns how many were deleted per outcome (an application still under review has no
    /// outcome: it is deleted, but neither counted here nor in the statistics).
    /// </summary>
    public async Task<IReadOnlyDictionary<RetentionOutcome, int>> DeleteRowsAsync(IReadOnlyCollection<Guid> applicationIds,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Delete application rows inside a transaction.");

        var present = await db.Applications.Where(a => applicationIds.Contains(a.Id))
            .Select(a => new { a.Id, a.ApplicantId, a.JobPostingId, a.DeletionOutcome })
            .ToListAsync(cancellationToken);
        if (present.Count == 0)
            return new Dictionary<RetentionOutcome, int>();
        var ids = present.Select(a => a.Id).ToList();

        await db.Notes.Where(n => ids.Contains(n.ApplicationId)).ExecuteDeleteAsync(cancellationToken);
        await db.Documents.Where(d => ids.Contains(d.ApplicationId)).ExecuteDeleteAsync(cancellationToken);
        await db.Consents.Where(c => c.ApplicationId != null && ids.Contains(c.ApplicationId.Value)).ExecuteDeleteAsync(cancellationToken);
        await db.AccessLog.Where(e => ids.Contains(e.ApplicationId)).ExecuteDeleteAsync(cancellationToken);
        var deleted = await db.Applications.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);
        if (deleted != present.Count)
            throw new DbUpdateConcurrencyException(
                $"Expected to delete {present.Count} applications but deleted {deleted}: another run deleted some first. Rolled back; retried later.");

        var applicantIds = present.Select(a => a.ApplicantId).Distinct().ToList();
        await db.Applicants
            .Where(a => applicantIds.Contains(a.Id) && !db.Applications.Any(x => x.ApplicantId == a.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ApplicationsDeletedAt, now), cancellationToken);

        var perStatistic = present.Where(a => a.DeletionOutcome is not null)
            .GroupBy(a => (a.JobPostingId, Outcome: a.DeletionOutcome!.Value))
            .ToDictionary(g => g.Key, g => g.Count());
        var postingIds = perStatistic.Keys.Select(k => k.JobPostingId).Distinct().ToList();
        var statistics = await db.PostingStatistics.Where(s => postingIds.Contains(s.JobPostingId)).ToListAsync(cancellationToken);
        foreach (var ((postingId, outcome), count) in perStatistic)
        {
            var statistic = statistics.SingleOrDefault(s => s.JobPostingId == postingId && s.Outcome == outcome);
            if (statistic is null)
            {
                statistic = PostingStatistic.Start(postingId, outcome);
                db.PostingStatistics.Add(statistic);
                statistics.Add(statistic);
            }
            statistic.Add(count);
        }
        await db.SaveChangesAsync(cancellationToken);

        return present.Where(a => a.DeletionOutcome is not null).GroupBy(a => a.DeletionOutcome!.Value)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Blobs, then rows in their own transaction (<see cref="DeleteRowsInTransactionAsync"/>).</summary>
    public async Task<IReadOnlyDictionary<RetentionOutcome, int>> DeleteAsync(IReadOnlyCollection<Guid> applicationIds,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await DeleteBlobsAsync(applicationIds, cancellationToken);
        return await DeleteRowsInTransactionAsync(applicationIds, now, cancellationToken);
    }

    /// <summary>
    /// The rows in a transaction of their own, once their blobs are gone. When another caller deleted some of the rows
    /// first (on PostgreSQL a second transaction waits for the first one's row locks and then finds them gone), the
    /// rolled-back transaction is tried again on what is left.
    /// </summary>
    public async Task<IReadOnlyDictionary<RetentionOutcome, int>> DeleteRowsInTransactionAsync(IReadOnlyCollection<Guid> applicationIds,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var deleted = await DeleteRowsAsync(applicationIds, now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return deleted;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                await transaction.RollbackAsync(cancellationToken);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}

/// <summary>The blob names of some applications' documents and the ids of the mails about them whose copies are kept.</summary>
public sealed record BlobsOfApplications(IReadOnlyList<string> BlobNames, IReadOnlyList<Guid> MailIds);
