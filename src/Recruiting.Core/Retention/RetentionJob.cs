using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Retention;

/// <summary>
/// The recurring enforcement run (constant id <see cref="RecurringJobId"/>): warns applicants before deletion, deletes
/// what is due in batches, erases applicants left with nothing whose accounts are inactive, then runs the housekeeping.
/// Its <see cref="RetentionRun"/> row is the lease (at most one Running row, enforced by a unique partial index), its
/// progress and its record. Everything it does is idempotent: a run killed half-way is finished by the next one.
/// </summary>
public sealed class RetentionJob(
    RecruitingDbContext db,
    ApplicationDeletion deletion,
    DueDates dueDates,
    IInactiveApplicantErasure inactiveErasure,
    Housekeeping housekeeping,
    IEnumerable<IErasureScrubber> scrubbers,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionJob> logger)
{
    public const string RecurringJobId = "retention";

    /// <summary>A Running run whose heartbeat is older than this was killed; the next run marks it Failed and takes over.</summary>
    public static readonly TimeSpan LeaseStaleAfter = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often a run renews its lease while deleting: far inside <see cref="LeaseStaleAfter"/>, yet rarely enough that
    /// the beat's own commit (a WAL sync on SQLite, as slow as a batch's on a busy disk) is not paid once per batch.
    /// </summary>
    public static readonly TimeSpan BeatEvery = TimeSpan.FromSeconds(5);

    // A first guard on one Hangfire storage; the lease below is the real one (it also holds across storages and restarts).
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var runId = await TakeLeaseAsync(settings.DryRun, now, cancellationToken);
        if (runId is null)
            return;

        var counts = new Dictionary<string, int>();
        try
        {
            var status = await WorkAsync(runId.Value, settings, now, counts, cancellationToken);
            await FinishAsync(runId.Value, status, counts, CancellationToken.None);
            if (status == RetentionRunStatus.StoppedAtCap)
                await AlertHrAsync(now, cancellationToken); // after the run is recorded: the mail reads its figures
            logger.LogInformation("Retention run {RunId} {Status}{DryRun}: {Counts}", runId, status,
                settings.DryRun ? " (dry run)" : "", AuditEvent.FormatCounts(counts));
            // What the run deleted may linger in storage-engine copies (SQLite's WAL, crash-left temp files), as after an erasure.
            foreach (var scrubber in scrubbers)
                await scrubber.ScrubAsync(IErasureScrubber.UnfinishedWriteAge, cancellationToken);
        }
        catch (Exception e)
        {
            // Recorded, then rethrown: Hangfire retries, and the retry (a new run) finishes the work.
            await FinishAsync(runId.Value, RetentionRunStatus.Failed, counts, CancellationToken.None);
            logger.LogError(e, "Retention run {RunId} failed", runId);
            throw;
        }
    }

    private async Task<RetentionRunStatus> WorkAsync(Guid runId, RetentionOptions settings, DateTimeOffset now,
        Dictionary<string, int> counts, CancellationToken cancellationToken)
    {
        // Every application has a clock; one stored without a date (kept before undecided ones had a clock) gets it now.
        await dueDates.RecomputeAsync(db.Applications.Where(a => a.DeletionDueAt == null), cancellationToken);

        var due = await Due(now).GroupBy(a => a.DeletionOutcome)
            .Select(g => new { Outcome = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var total = due.Sum(d => d.Count);

        counts["warnings"] = await WarnAsync(settings, now, settings.DryRun, cancellationToken);
        await CountKeptAsync(now, counts, cancellationToken);
        await BeatAsync(runId, counts, cancellationToken);

        if (total > settings.MaxDeletionsPerRun)
        {
            counts["due"] = total;
            foreach (var d in due.Where(d => d.Outcome is not null).OrderBy(d => d.Outcome))
                counts[d.Outcome!.Value.ToString()] = d.Count;
            counts["cap"] = settings.MaxDeletionsPerRun;
            logger.LogWarning("Retention run {RunId} found {Due} due, above the cap of {Cap}: deleted nothing", runId, total,
                settings.MaxDeletionsPerRun);
            return RetentionRunStatus.StoppedAtCap;
        }

        if (settings.DryRun)
        {
            counts["due"] = total;
            foreach (var d in due.Where(d => d.Outcome is not null).OrderBy(d => d.Outcome))
                counts[d.Outcome!.Value.ToString()] = d.Count;
            counts["applicants"] = await Inactive(settings, now).CountAsync(cancellationToken);
        }
        else
        {
            counts["deleted"] = 0;
            await DeleteDueAsync(runId, settings, now, counts, cancellationToken);
            counts["applicants"] = await EraseInactiveAsync(runId, settings, now, counts, cancellationToken);
        }

        foreach (var (kind, count) in await housekeeping.RunAsync(settings.DryRun, cancellationToken))
            counts[kind] = count;
        return RetentionRunStatus.Completed;
    }

    /// <summary>
    /// What is due now: the stored date has passed, the application is not restricted (Art. 18 keeps restricted data
    /// stored until the restriction is lifted; then the same date applies at once), and no active hold covers the
    /// application or its applicant. Holds are checked here, live, not through the stored flag: an expired hold never
    /// blocks, a new one always does.
    /// </summary>
    private IQueryable<JobApplication> Due(DateTimeOffset now) =>
        db.Applications.Where(a => a.DeletionDueAt <= now && !a.IsRestricted
            && !db.LegalHolds.Any(h => h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > now)
                && (h.ApplicationId == a.Id || h.ApplicantId == a.ApplicantId)));

    /// <summary>In a run's counts: past-due applications kept under a legal hold.</summary>
    public const string KeptHeld = "kept: held";

    /// <summary>In a run's counts: past-due applications kept because they are restricted (and not held).</summary>
    public const string KeptRestricted = "kept: restricted";

    /// <summary>What the run keeps although its date has passed, so its record says why. Counted in a dry run too.</summary>
    private async Task CountKeptAsync(DateTimeOffset now, Dictionary<string, int> counts, CancellationToken cancellationToken)
    {
        var pastDue = db.Applications.Where(a => a.DeletionDueAt <= now);
        counts[KeptHeld] = await pastDue.CountAsync(a => db.LegalHolds.Any(h => h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > now)
            && (h.ApplicationId == a.Id || h.ApplicantId == a.ApplicantId)), cancellationToken);
        counts[KeptRestricted] = await pastDue.CountAsync(a => a.IsRestricted && !db.LegalHolds.Any(h => h.LiftedAt == null
            && (h.EndsAt == null || h.EndsAt > now) && (h.ApplicationId == a.Id || h.ApplicantId == a.ApplicantId)), cancellationToken);
    }

    /// <summary>
    /// Batches in due-date order (the DeletionDueAt index), each: blobs, then rows and statistics in one transaction.
    /// The next batch's blobs are deleted while this batch's rows are: a blob store mostly waits (a disk, Azure's round
    /// trips) and so does the database (its commit), so the two overlap. A batch's rows still go only once its blobs
    /// are gone, since the rows are the only record of the blob names.
    /// </summary>
    private async Task DeleteDueAsync(Guid runId, RetentionOptions settings, DateTimeOffset now, Dictionary<string, int> counts,
        CancellationToken cancellationToken)
    {
        var batchSize = Math.Max(1, settings.BatchSize);
        var done = 0;
        var lastBeat = time.GetTimestamp();
        var ids = await NextDueAsync(now, [], Math.Min(batchSize, settings.MaxDeletionsPerRun), cancellationToken);
        var blobs = ids.Count == 0 ? Task.CompletedTask : await StartDeletingBlobsAsync(ids, cancellationToken);
        while (ids.Count > 0)
        {
            await blobs;
            done += ids.Count;
            var next = done < settings.MaxDeletionsPerRun
                ? await NextDueAsync(now, ids, Math.Min(batchSize, settings.MaxDeletionsPerRun - done), cancellationToken)
                : [];
            var nextBlobs = next.Count == 0 ? Task.CompletedTask : await StartDeletingBlobsAsync(next, cancellationToken);
            try
            {
                var deleted = await deletion.DeleteRowsInTransactionAsync(ids, now, cancellationToken);
                foreach (var (outcome, count) in deleted)
                    counts[outcome.ToString()] = counts.GetValueOrDefault(outcome.ToString()) + count;
                counts["deleted"] += deleted.Values.Sum();
            }
            catch
            {
                // The run fails with this batch's error; the next batch's blob deletes are not left running behind it.
                await nextBlobs.ContinueWith(_ => { }, TaskScheduler.Default);
                throw;
            }
            if (time.GetElapsedTime(lastBeat) >= BeatEvery || next.Count == 0)
            {
                await BeatAsync(runId, counts, cancellationToken);
                lastBeat = time.GetTimestamp();
            }
            (ids, blobs) = (next, nextBlobs);
        }
    }

    /// <summary>The next due ids, without those of the batch in flight (deleted by then only if nothing failed).</summary>
    private Task<List<Guid>> NextDueAsync(DateTimeOffset now, List<Guid> inFlight, int take, CancellationToken cancellationToken) =>
        Due(now).Where(a => !inFlight.Contains(a.Id)).OrderBy(a => a.DeletionDueAt).Select(a => a.Id).Take(take)
            .ToListAsync(cancellationToken);

    /// <summary>Reads the batch's blob names, then deletes them off this context (which goes on with other work).</summary>
    private async Task<Task> StartDeletingBlobsAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        var found = await deletion.FindBlobsAsync(ids, cancellationToken);
        return Task.Run(() => deletion.DeleteBlobsAsync(found, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Applications of every outcome due within the warning period, not warned yet, not held, not restricted (neither
    /// is deleted, so a warning would be untrue). Each gets a notification (ids only; the mail reads the date when it
    /// is sent) and is marked warned in the same transaction, so a retried run never warns twice. A dry run only
    /// counts them.
    /// </summary>
    private async Task<int> WarnAsync(RetentionOptions settings, DateTimeOffset now, bool dryRun, CancellationToken cancellationToken)
    {
        var horizon = now.AddDays(settings.WarningDays);
        var toWarn = db.Applications.Where(a => a.DeletionDueAt > now && a.DeletionDueAt <= horizon && a.DeletionWarnedAt == null
            && a.DeletionOutcome != null && !a.IsRestricted
            && !db.LegalHolds.Any(h => h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > now)
                && (h.ApplicationId == a.Id || h.ApplicantId == a.ApplicantId)));
        if (dryRun)
            return await toWarn.CountAsync(cancellationToken);

        var warned = 0;
        while (true)
        {
            var batch = await toWarn.OrderBy(a => a.DeletionDueAt).Take(Math.Max(1, settings.BatchSize))
                .Select(a => new { Application = a, a.Applicant.UserId })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
                return warned;
            foreach (var row in batch)
            {
                db.Notifications.Add(Notification.DeletionWarning(row.UserId, row.Application.Id, now));
                row.Application.MarkDeletionWarned(now);
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            warned += batch.Count;
        }
    }

    /// <summary>
    /// Applicants retention left without an application, with no active consent, not signed in for the inactivity
    /// period, not covered by an active hold, and without an erasure already under way. Only applicants marked by
    /// <see cref="ApplicationDeletion"/> are looked at (an index), so the cost follows the deletions, not the table.
    /// </summary>
    private IQueryable<Applicant> Inactive(RetentionOptions settings, DateTimeOffset now)
    {
        var cutoff = now.AddDays(-settings.AccountInactivityDays);
        return inactiveErasure.NotBeingErased(db.Applicants.Where(a => a.ApplicationsDeletedAt != null
            && !db.Applications.Any(x => x.ApplicantId == a.Id)
            && !db.Consents.Any(c => c.ApplicantId == a.Id && c.WithdrawnAt == null)
            && db.Users.Any(u => u.Id == a.UserId
                && ((u.LastSignInAt == null && u.CreatedAt <= cutoff) || u.LastSignInAt <= cutoff))
            && !db.LegalHolds.Any(h => h.ApplicantId == a.Id && h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > now))));
    }

    /// <summary>
    /// Erased as in an erasure, through <see cref="IInactiveApplicantErasure"/>. Once filed, the unfinished request keeps
    /// them out of the next query, so a rerun never files twice.
    /// </summary>
    private async Task<int> EraseInactiveAsync(Guid runId, RetentionOptions settings, DateTimeOffset now, Dictionary<string, int> counts,
        CancellationToken cancellationToken)
    {
        var filed = 0;
        while (true)
        {
            var batch = await Inactive(settings, now).OrderBy(a => a.ApplicationsDeletedAt).Take(Math.Max(1, settings.BatchSize))
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
                return filed;
            foreach (var applicant in batch)
                await inactiveErasure.FileAsync(applicant, cancellationToken);
            filed += batch.Count;
            db.ChangeTracker.Clear();
            counts["applicants"] = filed;
            await BeatAsync(runId, counts, cancellationToken);
        }
    }

    /// <summary>Tells every active HR user that a run stopped at the cap (the mail names no one; the runs page has the figures).</summary>
    private async Task AlertHrAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hr = await (from user in db.Users
                        join userRole in db.UserRoles on user.Id equals userRole.UserId
                        join role in db.Roles on userRole.RoleId equals role.Id
                        where role.Name == Roles.HR
                        select new { user.Id, user.LockoutEnd }).ToListAsync(cancellationToken);
        db.Notifications.AddRange(hr.Where(u => u.LockoutEnd is null || u.LockoutEnd <= now)
            .Select(u => Notification.RetentionCapReached(u.Id, now)));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a run if no other is Running with a fresh heartbeat; a stale one was killed and is marked Failed. The
    /// insert is atomic on every provider: the unique partial index on Status = 'Running' admits one Running row, so of
    /// two runs that both got this far, one insert fails and that run leaves. Null: another run holds the lease.
    /// </summary>
    private async Task<Guid?> TakeLeaseAsync(bool dryRun, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var running = await db.RetentionRuns.AsNoTracking().Where(r => r.Status == RetentionRunStatus.Running)
            .Select(r => new { r.Id, r.HeartbeatAt }).SingleOrDefaultAsync(cancellationToken);
        if (running is not null)
        {
            if (running.HeartbeatAt > now - LeaseStaleAfter)
            {
                logger.LogInformation("Retention run {RunId} is still running; this run does nothing", running.Id);
                return null;
            }
            await db.RetentionRuns
                .Where(r => r.Id == running.Id && r.Status == RetentionRunStatus.Running && r.HeartbeatAt == running.HeartbeatAt)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RetentionRunStatus.Failed).SetProperty(r => r.FinishedAt, now),
                    cancellationToken);
            logger.LogWarning("Retention run {RunId} stopped beating at {HeartbeatAt}; marked failed, taking over", running.Id,
                running.HeartbeatAt);
        }

        var run = RetentionRun.Start(dryRun, now);
        db.RetentionRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A new row with a new id can only break the one-Running-run index: another run inserted its row between
            // our check and our insert. It does the work (it may even have finished by now); this run leaves.
            db.Entry(run).State = EntityState.Detached;
            logger.LogInformation("Another retention run took the lease first; this run does nothing");
            return null;
        }
        db.ChangeTracker.Clear();
        return run.Id;
    }

    /// <summary>Renews the lease with the counts so far. Conditional on still being Running: a run declared dead stops.</summary>
    private async Task BeatAsync(Guid runId, Dictionary<string, int> counts, CancellationToken cancellationToken)
    {
        var text = Format(counts);
        var beat = await db.RetentionRuns.Where(r => r.Id == runId && r.Status == RetentionRunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, time.GetUtcNow()).SetProperty(r => r.Counts, text),
                cancellationToken);
        if (beat == 0)
            throw new InvalidOperationException($"Retention run {runId} lost its lease (another run declared it dead); it stops here.");
    }

    /// <summary>Records the end; only while this run still holds the lease (never overwrites a takeover's verdict).</summary>
    private Task FinishAsync(Guid runId, RetentionRunStatus status, Dictionary<string, int> counts, CancellationToken cancellationToken)
    {
        var text = Format(counts);
        var end = time.GetUtcNow();
        return db.RetentionRuns.Where(r => r.Id == runId && r.Status == RetentionRunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.Counts, text)
                .SetProperty(r => r.FinishedAt, end).SetProperty(r => r.HeartbeatAt, end), cancellationToken);
    }

    private static string Format(Dictionary<string, int> counts)
    {
        var text = AuditEvent.FormatCounts(counts);
        return text.Length <= RetentionRun.CountsMaxLength ? text : text[..RetentionRun.CountsMaxLength];
    }
}
