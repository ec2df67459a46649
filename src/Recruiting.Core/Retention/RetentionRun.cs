using Recruiting.Core.Applications;

namespace Recruiting.Core.Retention;

public enum RetentionRunStatus { Running, Completed, StoppedAtCap, Failed }

/// <summary>
/// One run of the enforcement job: when, whether it only reported (dry run), how it ended, and counts per outcome
/// ("Rejected=12; Withdrawn=3; applicants=2"). Ids and counts only.
/// </summary>
public class RetentionRun
{
    public const int CountsMaxLength = 1000;

    private RetentionRun() { }

    public Guid Id { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Renewed as the run works; a Running run whose heartbeat is stale was killed, and the next run takes over.</summary>
    public DateTimeOffset HeartbeatAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public bool DryRun { get; private set; }
    public RetentionRunStatus Status { get; private set; }
    public string? Counts { get; private set; }

    public static RetentionRun Start(bool dryRun, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), StartedAt = now, HeartbeatAt = now, DryRun = dryRun, Status = RetentionRunStatus.Running };
}

/// <summary>Anonymous statistics that outlive deleted applications: per posting, how many ended in each outcome.</summary>
public class PostingStatistic
{
    private PostingStatistic() { }

    public Guid JobPostingId { get; private set; }
    public RetentionOutcome Outcome { get; private set; }
    public int Count { get; private set; }

    public static PostingStatistic Start(Guid postingId, RetentionOutcome outcome) => new() { JobPostingId = postingId, Outcome = outcome };

    public void Add(int n) => Count += n;
}
