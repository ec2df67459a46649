using Recruiting.Core.Storage;

namespace Recruiting.Infrastructure.Blobs;

/// <summary>
/// Keeps blobs as files under one root folder: blob "a/b" is the file <c>root/a/b</c>.
/// Meant for the single-instance embedded setup, where the data folder is backed up or deleted as one thing.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    // CVs are personal data: only the account running the app may read them.
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const int CopyBufferSize = 81920;

    // Temp files start with '.', which no valid blob name can, so they never shadow a blob.
    internal const string TempFilePrefix = ".";
    internal const string TempFileSuffix = ".tmp";

    public FileSystemBlobStore(string rootPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        RootPath = Path.GetFullPath(rootPath);
        CreatePrivateDirectory(RootPath);
    }

    public string RootPath { get; }

    public async Task<StoredBlob> PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        ArgumentNullException.ThrowIfNull(content);

        var directory = Path.GetDirectoryName(path)!;
        CreatePrivateDirectory(directory);

        // Same folder as the target, so the final move is a rename within one file system (atomic):
        // a crash leaves at worst a temp file, never a half-written blob under the real name.
        var tempPath = Path.Combine(directory, $"{TempFilePrefix}{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempFileSuffix}");
        try
        {
            var hashing = new HashingReadStream(content, leaveOpen: true);
            await using (hashing.ConfigureAwait(false))
            {
                var file = new FileStream(tempPath, NewFileOptions());
                await using (file.ConfigureAwait(false))
                {
                    await hashing.CopyToAsync(file, CopyBufferSize, cancellationToken).ConfigureAwait(false);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    // Without fsync before the rename, a power cut can leave the new name pointing at an empty file.
                    file.Flush(flushToDisk: true);
                }

                File.Move(tempPath, path, overwrite: true);
                return new StoredBlob(name, hashing.BytesRead, hashing.Sha256);
            }
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // FileShare.Delete lets a retention job delete (or a put replace) the blob while someone is still reading it.
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        // Two concurrent deletes may both answer true; callers treat the answer as information only,
        // since a missing blob counts as already deleted.
        if (!File.Exists(path))
            return Task.FromResult(false);
        File.Delete(path);
        return Task.FromResult(true);
    }

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(path));
    }

    public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        BlobNames.EnsureValidPrefix(prefix);
        return List(prefix, cancellationToken).ToAsyncEnumerable();
    }

    private IEnumerable<BlobInfo> List(string prefix, CancellationToken cancellationToken)
    {
        var slash = prefix.IndexOf('/');
        var folders = slash >= 0
            ? [prefix[..slash]]
            : Directory.EnumerateDirectories(RootPath).Select(d => Path.GetFileName(d)).Where(f => f.StartsWith(prefix, StringComparison.Ordinal));
        var options = new EnumerationOptions { MatchCasing = MatchCasing.CaseSensitive, IgnoreInaccessible = true };
        foreach (var folder in folders)
        {
            var directory = Path.Combine(RootPath, folder);
            if (!Directory.Exists(directory))
                continue;
            var filePrefix = slash >= 0 ? prefix[(slash + 1)..] : "";
            foreach (var path in Directory.EnumerateFiles(directory, filePrefix + "*", options))
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Temp files of uploads in progress start with '.', so they are no valid name and are never listed.
                var name = folder + "/" + Path.GetFileName(path);
                if (!BlobNames.IsValid(name) || !name.StartsWith(prefix, StringComparison.Ordinal))
                    continue;
                var file = new FileInfo(path);
                if (!file.Exists) // deleted since it was enumerated
                    continue;
                yield return new BlobInfo(name, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
            }
        }
    }

    /// <summary>
    /// Deletes the hidden temp files of uploads that never finished (a killed process leaves them) last written before
    /// <paramref name="writtenBefore"/>; younger ones may be uploads in progress. Returns how many were deleted.
    /// </summary>
    public int DeleteTempFilesWrittenBefore(DateTimeOffset writtenBefore)
    {
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(RootPath, TempFilePrefix + "*" + TempFileSuffix, SearchOption.AllDirectories))
        {
            if (File.GetLastWriteTimeUtc(file) >= writtenBefore.UtcDateTime)
                continue;
            TryDelete(file);
            deleted++;
        }
        return deleted;
    }

    private string PathOf(string name)
    {
        // The name is checked before anything touches the disk; the pattern also rules out "..", rooted paths and separators.
        BlobNames.EnsureValid(name);
        return Path.Combine(RootPath, name.Replace('/', Path.DirectorySeparatorChar));
    }

    private static FileStreamOptions NewFileOptions()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = CopyBufferSize,
            Options = FileOptions.Asynchronous,
        };
        // Set at creation rather than chmod afterwards, so the bytes are never readable by others, not even briefly.
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = FileMode0600;
        return options;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, DirectoryMode0700);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more, and the name starts with '.', so it is never served as a blob.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
