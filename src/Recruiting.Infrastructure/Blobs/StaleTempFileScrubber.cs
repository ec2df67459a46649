using Recruiting.Core.Rights;
using Recruiting.Core.Storage;

namespace Recruiting.Infrastructure.Blobs;

/// <summary>
/// A process killed during an upload leaves the filesystem store's hidden temp file behind: a copy of a document that
/// no row names, so no erasure can attribute it. Stale ones are deleted at start-up and after every erasure.
/// </summary>
internal sealed class StaleTempFileScrubber(IBlobStore store, TimeProvider time, ILogger<StaleTempFileScrubber> logger) : IErasureScrubber
{
    public Task ScrubAsync(TimeSpan spareWritesYoungerThan, CancellationToken cancellationToken)
    {
        if (store is FileSystemBlobStore fileSystem)
        {
            var deleted = fileSystem.DeleteTempFilesWrittenBefore(time.GetUtcNow() - spareWritesYoungerThan);
            if (deleted > 0)
                logger.LogInformation("Deleted {Count} temporary blob files left by an interrupted upload", deleted);
        }
        return Task.CompletedTask;
    }
}
