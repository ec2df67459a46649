using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Applications;
using Recruiting.Core.Consent;
using Recruiting.Core.Data;
using Recruiting.Core.Rights;

namespace Recruiting.Core.Retention;

/// <summary>
/// Keeps every application's stored due date (and legal-hold flag) in step with its status, its posting's policy, its
/// talent-pool consent and the holds on it. Call it after any of those changes, with the applications concerned.
/// </summary>
public sealed class DueDates(RecruitingDbContext db, IOptions<RetentionOptions> defaults, TimeProvider time)
{
    private const int Batch = 1000;

    private readonly Dictionary<Guid, RetentionPeriods> _periodsRead = [];

    /// <summary>
    /// The periods in force for a posting: its override, else the default policy, else the settings. Read once per
    /// scope (a request, a job run): the notice an application is checked against and the dates it is stored with come
    /// from the same reading, and an export of many applications to one posting reads it once.
    /// </summary>
    public async Task<RetentionPeriods> PeriodsForAsync(Guid postingId, CancellationToken cancellationToken)
    {
        if (_periodsRead.TryGetValue(postingId, out var read))
            return read;
        var inForce = InForce(await NewestPoliciesFor(db, postingId).ToListAsync(cancellationToken));
        var periods = inForce.GetValueOrDefault(postingId) ?? inForce.GetValueOrDefault(Guid.Empty) ?? RetentionPeriods.From(defaults.Value);
        _periodsRead[postingId] = periods;
        return periods;
    }

    /// <summary>The default's periods (Guid.Empty) and each given posting's override that is in force.</summary>
    public async Task<Dictionary<Guid, RetentionPeriods>> CurrentPoliciesAsync(IReadOnlyCollection<Guid> postingIds, CancellationToken cancellationToken)
    {
        // The newest version per policy. (GroupBy(...).First() loses the default: its key is NULL, and the join SQL
        // makes for it never matches NULL.)
        var latest = await db.RetentionPolicies.AsNoTracking()
            .Where(p => p.JobPostingId == null || postingIds.Contains(p.JobPostingId.Value))
            .Where(p => !db.RetentionPolicies.Any(q => q.JobPostingId == p.JobPostingId && q.Version > p.Version))
            .ToListAsync(cancellationToken);
        return InForce(latest);
    }

    private static Dictionary<Guid, RetentionPeriods> InForce(IEnumerable<RetentionPolicy> newest) =>
        newest.Where(p => !p.Removed).ToDictionary(p => p.JobPostingId ?? Guid.Empty, p => p.Periods);

    // CurrentPoliciesAsync for one posting, compiled once: every application and every form page reads it.
    private static readonly Func<RecruitingDbContext, Guid, IAsyncEnumerable<RetentionPolicy>> NewestPoliciesFor =
        EF.CompileAsyncQuery((RecruitingDbContext db, Guid postingId) => db.RetentionPolicies.AsNoTracking()
            .Where(p => p.JobPostingId == null || p.JobPostingId == postingId)
            .Where(p => !db.RetentionPolicies.Any(q => q.JobPostingId == p.JobPostingId && q.Version > p.Version)));

    /// <summary>
    /// Saves the pending changes and brings the selected applications' due dates in step with them, in one transaction
    /// (joining the caller's, if one is open), so no crash leaves a status changed and its date stale. Clears the change
    /// tracker: reload entities before changing them again.
    /// </summary>
    public async Task SaveInStepAsync(IQueryable<JobApplication> selection, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            await db.SaveChangesAsync(cancellationToken);
            await RecomputeAsync(selection, cancellationToken);
            return;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await RecomputeAsync(selection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task SaveInStepAsync(IReadOnlyCollection<Guid> applicationIds, CancellationToken cancellationToken) =>
        SaveInStepAsync(db.Applications.Where(a => applicationIds.Contains(a.Id)), cancellationToken);

    public Task RecomputeAsync(IReadOnlyCollection<Guid> applicationIds, CancellationToken cancellationToken) =>
        RecomputeAsync(db.Applications.Where(a => applicationIds.Contains(a.Id)), cancellationToken);

    public Task RecomputeForApplicantAsync(Guid applicantId, CancellationToken cancellationToken) =>
        RecomputeAsync(db.Applications.Where(a => a.ApplicantId == applicantId), cancellationToken);

    public Task RecomputeForPostingAsync(Guid postingId, CancellationToken cancellationToken) =>
        RecomputeAsync(db.Applications.Where(a => a.JobPostingId == postingId), cancellationToken);

    /// <summary>Recomputes the selected applications in batches (by id, so the selection may be large) and saves each batch.</summary>
    public async Task<int> RecomputeAsync(IQueryable<JobApplication> selection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fallback = RetentionPeriods.From(defaults.Value);
        var changed = 0;
        Guid? after = null;
        while (true)
        {
            var batch = await selection
                .Where(a => after == null || a.Id.CompareTo(after.Value) > 0)
                .OrderBy(a => a.Id)
                .Take(Batch)
                .Select(a => new
                {
                    Application = a,
                    a.JobPosting.ClosedAt,
                    ConsentAt = db.Consents
                        .Where(c => c.ApplicationId == a.Id && c.Purpose == ConsentPurpose.TalentPool && c.WithdrawnAt == null)
                        .Max(c => (DateTimeOffset?)c.GivenAt), // a renewed consent counts from its renewal
                    Held = db.LegalHolds.Any(h => h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > now)
                        && (h.ApplicationId == a.Id || h.ApplicantId == a.ApplicantId)),
                })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
                return changed;

            var policies = await CurrentPoliciesAsync(batch.Select(x => x.Application.JobPostingId).Distinct().ToList(), cancellationToken);
            foreach (var row in batch)
            {
                var a = row.Application;
                var periods = policies.GetValueOrDefault(a.JobPostingId) ?? policies.GetValueOrDefault(Guid.Empty) ?? fallback;
                var (due, outcome) = RetentionRule.Due(
                    new RetentionRule.Facts(a.Status, a.SubmittedAt, a.DecisionAt, a.WithdrawnAt, row.ClosedAt, row.ConsentAt), periods);
                if (due != a.DeletionDueAt || outcome != a.DeletionOutcome || row.Held != a.OnLegalHold)
                {
                    a.SetRetention(due, outcome, row.Held);
                    changed++;
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            after = batch[^1].Application.Id;
        }
    }
}
