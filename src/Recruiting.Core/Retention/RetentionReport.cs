using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;

namespace Recruiting.Core.Retention;

public sealed record RetentionRunRow(Guid Id, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, bool DryRun,
    RetentionRunStatus Status, string? Counts);

public sealed record PostingStatisticRow(Guid JobPostingId, string PostingTitle, RetentionOutcome Outcome, int Count);

/// <summary>What HR's runs page shows: the recent enforcement runs, the orphan-blob sweep, and the anonymous statistics that outlive deletions.</summary>
public sealed class RetentionReport(RecruitingDbContext db)
{
    public const int RecentRuns = 50;

    public Task<List<RetentionRunRow>> RecentRunsAsync(CancellationToken cancellationToken) =>
        db.RetentionRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).Take(RecentRuns)
            .Select(r => new RetentionRunRow(r.Id, r.StartedAt, r.FinishedAt, r.DryRun, r.Status, r.Counts))
            .ToListAsync(cancellationToken);

    /// <summary>Where the orphan-blob sweep stands and what its last pass found; null before its first run.</summary>
    public Task<OrphanSweep?> OrphanSweepAsync(CancellationToken cancellationToken) =>
        db.OrphanSweeps.AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    public async Task<List<PostingStatisticRow>> StatisticsAsync(CancellationToken cancellationToken)
    {
        var rows = await (from s in db.PostingStatistics
                          join p in db.JobPostings on s.JobPostingId equals p.Id into postings
                          from p in postings.DefaultIfEmpty()
                          select new { s.JobPostingId, Title = p == null ? null : p.Title, s.Outcome, s.Count })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new PostingStatisticRow(r.JobPostingId, r.Title ?? "(posting deleted)", r.Outcome, r.Count))
            .OrderBy(r => r.PostingTitle, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.Outcome).ToList();
    }
}
