namespace Recruiting.Core.Retention;

/// <summary>
/// Where the orphan-blob sweep stands (one row, <see cref="SingletonId"/>): the next of the store's 256 parts to look
/// at, and what the current and the last finished pass found. Saved after every part, so a stopped sweep goes on from
/// there instead of starting over. Ids and counts only.
/// </summary>
public class OrphanSweep
{
    public const int SingletonId = 1;

    private OrphanSweep() { }

    public int Id { get; private set; }

    /// <summary>The part the current pass looks at next (0 to <see cref="OrphanSweepJob.Parts"/>).</summary>
    public int NextPart { get; private set; }
    public DateTimeOffset PassStartedAt { get; private set; }

    /// <summary>Orphans found by the current pass so far (deleted, or only counted in a dry run).</summary>
    public int Orphans { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }
    public DateTimeOffset? LastPassFinishedAt { get; private set; }
    public int? LastPassOrphans { get; private set; }

    public static OrphanSweep Start(DateTimeOffset now) => new() { Id = SingletonId, PassStartedAt = now };

    public void Done(int part, int orphans, DateTimeOffset now)
    {
        NextPart = part + 1;
        Orphans += orphans;
        UpdatedAt = now;
    }

    public void FinishPass(DateTimeOffset now)
    {
        LastPassFinishedAt = now;
        LastPassOrphans = Orphans;
        NextPart = 0;
        Orphans = 0;
        PassStartedAt = now;
        UpdatedAt = now;
    }
}
