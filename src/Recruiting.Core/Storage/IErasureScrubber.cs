namespace Recruiting.Core.Storage;

/// <summary>
/// Removes the copies a storage engine keeps of data after it was deleted: SQLite's write-ahead log, a blob store's
/// crash-left temporary files. Run after every erasure and at start-up, so that no copy
/// of erased data survives in the files. Implementations are
/// provider-specific and live in Infrastructure; each must be idempotent and cheap when there is nothing to do.
/// </summary>
public interface IErasureScrubber
{
    /// <summary>An upload still being written is younger than this; older hidden temp files are crash leftovers.</summary>
    public static readonly TimeSpan UnfinishedWriteAge = TimeSpan.FromMinutes(10);

    /// <param name="spareWritesYoungerThan">Files written more recently than this may belong to a write still in
    /// progress (an upload) and are left alone; <see cref="TimeSpan.Zero"/> when nothing can be writing yet (start-up).</param>
    Task ScrubAsync(TimeSpan spareWritesYoungerThan, CancellationToken cancellationToken);
}
