using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Rights;
using Recruiting.Core.Storage;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>The copies storage engines keep after a delete: blob-store temp files of killed uploads, SQLite's WAL.</summary>
public sealed class ErasureScrubTests : IDisposable
{
    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task Temp_files_of_killed_uploads_go_at_start_up_and_stale_ones_after_an_erasure_and_the_wal_is_emptied()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_portal.BlobsFolder, "documents")).FullName;
        var leftByCrash = TempFile(folder);

        _ = _portal.Services; // starts the portal
        Assert.False(File.Exists(leftByCrash));

        // While it runs, a young temp file may be an upload in progress and is spared; an old one is a leftover.
        var inProgress = TempFile(folder);
        var stale = TempFile(folder);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - IErasureScrubber.UnfinishedWriteAge - TimeSpan.FromMinutes(1));
        await using (var scope = _portal.Services.CreateAsyncScope())
            foreach (var scrubber in scope.ServiceProvider.GetServices<IErasureScrubber>())
                await scrubber.ScrubAsync(IErasureScrubber.UnfinishedWriteAge, CancellationToken.None);

        Assert.True(File.Exists(inProgress));
        Assert.False(File.Exists(stale));
        if (PortalFactory.OnPostgreSql)
            return; // the WAL below is SQLite's; PostgreSQL's is its operators' to configure (docs/jobseekers.md, Erasure)
        var wal = new FileInfo(Path.Combine(_portal.DataDirectory, "recruiting.db-wal"));
        Assert.True(!wal.Exists || wal.Length == 0, $"The WAL holds {(wal.Exists ? wal.Length : 0)} bytes after the checkpoint.");
    }

    /// <summary>Named as <c>FileSystemBlobStore</c> names its temp files: hidden, after the blob, with a random part.</summary>
    private static string TempFile(string folder)
    {
        var path = Path.Combine(folder, $".{Guid.NewGuid():N}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(path, "%PDF- part of a CV"u8.ToArray());
        return path;
    }
}
