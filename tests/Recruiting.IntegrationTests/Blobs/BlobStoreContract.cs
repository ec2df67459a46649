using System.Collections.Concurrent;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recruiting.Core.Storage;
using BlobInfo = Recruiting.Core.Storage.BlobInfo;
using Recruiting.Infrastructure.Blobs;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Blobs;

/// <summary>
/// What every <see cref="IBlobStore"/> must do. Each store gets these tests by deriving from this class,
/// so the file-system store used in development cannot drift from the Azure store used in production.
/// </summary>
public abstract class BlobStoreContract : IAsyncLifetime
{
    protected const int Mebibyte = 1024 * 1024;

    protected IBlobStore Store { get; private set; } = null!;

    /// <summary>A store on fresh, empty backing storage.</summary>
    protected abstract Task<IBlobStore> CreateStoreAsync();

    /// <summary>True while nothing at all has been written to the backing storage.</summary>
    protected abstract Task<bool> BackendIsUntouchedAsync();

    /// <summary>Bytes of an upload of <paramref name="name"/> that have already left the process while the upload still runs.</summary>
    protected abstract Task<long> BytesPersistedSoFarAsync(string name);

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_537)]
    [InlineData(5 * Mebibyte + 3)] // more than one 4 MiB Azure block
    public async Task Put_then_OpenRead_round_trips_the_bytes_and_reports_size_and_sha256(int length)
    {
        var name = BlobNames.NewDocument();
        var content = RandomBytes(length, seed: length);

        var stored = await Store.PutAsync(name, new MemoryStream(content));

        Assert.Equal(name, stored.Name);
        Assert.Equal(length, stored.Size);
        Assert.Equal(Sha256Hex(content), stored.Sha256);
        Assert.Equal(content, await ReadAllAsync(name));
    }

    [Fact]
    public async Task Put_streams_20_MB_from_a_non_seekable_source_and_reports_its_hash()
    {
        const long length = 20 * Mebibyte;
        var name = BlobNames.NewDocument();
        string expectedHash;
        using (var sha = SHA256.Create())
            expectedHash = Convert.ToHexStringLower(await sha.ComputeHashAsync(new PseudoRandomStream(length, seed: 20)));

        long persistedBeforeSourceEnded = -1;
        var source = new PseudoRandomStream(length, seed: 20)
        {
            // Checked while the source is still being read: a store that buffered the whole upload
            // in memory would have written nothing yet.
            Checkpoint = (16 * Mebibyte, async () => persistedBeforeSourceEnded = await BytesPersistedSoFarAsync(name)),
        };
        Assert.False(source.CanSeek);

        var stored = await Store.PutAsync(name, source);

        Assert.True(source.CheckpointReached);
        Assert.True(persistedBeforeSourceEnded >= 4 * Mebibyte,
            $"Only {persistedBeforeSourceEnded} bytes had been written when 16 MiB had been read from the source.");
        Assert.Equal(length, stored.Size);
        Assert.Equal(expectedHash, stored.Sha256);
        await using var read = await Store.OpenReadAsync(name);
        Assert.NotNull(read);
        using var counting = new HashingReadStream(read);
        using (var sha = SHA256.Create())
            Assert.Equal(expectedHash, Convert.ToHexStringLower(await sha.ComputeHashAsync(counting)));
        Assert.Equal(length, counting.BytesRead);
    }

    [Fact]
    public async Task Put_over_an_existing_blob_replaces_it_entirely()
    {
        var name = BlobNames.NewDocument();
        await Store.PutAsync(name, new MemoryStream(RandomBytes(100_000, seed: 1)));
        // Shorter than the first, so a store that wrote in place without truncating would leave a tail behind.
        var replacement = RandomBytes(10_000, seed: 2);

        var stored = await Store.PutAsync(name, new MemoryStream(replacement));

        Assert.Equal(10_000, stored.Size);
        Assert.Equal(Sha256Hex(replacement), stored.Sha256);
        Assert.Equal(replacement, await ReadAllAsync(name));
    }

    [Fact]
    public async Task OpenRead_of_a_missing_blob_returns_null()
    {
        Assert.Null(await Store.OpenReadAsync(BlobNames.NewDocument()));
    }

    [Fact]
    public async Task Delete_returns_true_then_false_and_the_blob_is_gone()
    {
        var name = BlobNames.NewDocument();
        await Store.PutAsync(name, new MemoryStream(RandomBytes(1000, seed: 3)));

        Assert.True(await Store.DeleteAsync(name));
        Assert.False(await Store.DeleteAsync(name));

        Assert.False(await Store.ExistsAsync(name));
        Assert.Null(await Store.OpenReadAsync(name));
    }

    [Fact]
    public async Task Delete_of_a_never_stored_blob_returns_false()
    {
        Assert.False(await Store.DeleteAsync(BlobNames.NewExport()));
    }

    [Fact]
    public async Task Exists_is_true_only_while_the_blob_is_stored()
    {
        var name = BlobNames.NewExport();
        Assert.False(await Store.ExistsAsync(name));

        await Store.PutAsync(name, new MemoryStream([1, 2, 3]));
        Assert.True(await Store.ExistsAsync(name));

        await Store.DeleteAsync(name);
        Assert.False(await Store.ExistsAsync(name));
    }

    [Fact]
    public async Task Blobs_whose_names_share_a_prefix_are_independent()
    {
        // Listing by prefix (as the Azure store does for versions) must not reach "abc" when deleting "ab".
        var shorter = "documents/ab";
        var longer = "documents/abc";
        var otherFolder = "exports/ab";
        await Store.PutAsync(shorter, new MemoryStream([1]));
        await Store.PutAsync(longer, new MemoryStream([2, 2]));
        await Store.PutAsync(otherFolder, new MemoryStream([3, 3, 3]));

        Assert.True(await Store.DeleteAsync(shorter));

        Assert.False(await Store.ExistsAsync(shorter));
        Assert.Equal([2, 2], await ReadAllAsync(longer));
        Assert.Equal([3, 3, 3], await ReadAllAsync(otherFolder));
    }

    [Fact]
    public async Task A_put_whose_source_fails_keeps_the_previous_blob_and_creates_no_new_one()
    {
        var existing = BlobNames.NewDocument();
        var original = RandomBytes(50_000, seed: 4);
        await Store.PutAsync(existing, new MemoryStream(original));
        var fresh = BlobNames.NewDocument();

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(existing, new PseudoRandomStream(10 * Mebibyte, seed: 5) { FailAt = 6 * Mebibyte }));
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(fresh, new PseudoRandomStream(10 * Mebibyte, seed: 6) { FailAt = 1000 }));

        Assert.Equal(original, await ReadAllAsync(existing));
        Assert.False(await Store.ExistsAsync(fresh));
        Assert.Null(await Store.OpenReadAsync(fresh));
    }

    [Fact]
    public async Task List_of_an_untouched_store_is_empty_and_creates_nothing()
    {
        Assert.Empty(await ListAsync(""));
        Assert.Empty(await ListAsync("documents/"));
        Assert.True(await BackendIsUntouchedAsync());
    }

    [Fact]
    public async Task List_returns_the_blobs_under_a_prefix_with_size_and_last_write_time()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-2); // allow for the storage's clock being a little off
        await Store.PutAsync("documents/ab", new MemoryStream([1]));
        await Store.PutAsync("documents/abc", new MemoryStream([2, 2]));
        await Store.PutAsync("documents/b", new MemoryStream(RandomBytes(70_000, seed: 30)));
        await Store.PutAsync("exports/ab", new MemoryStream([3, 3, 3]));
        var deleted = BlobNames.NewDocument();
        await Store.PutAsync(deleted, new MemoryStream([4]));
        await Store.DeleteAsync(deleted);
        var after = DateTimeOffset.UtcNow.AddMinutes(2);

        var documents = await ListAsync("documents/");
        Assert.Equal(["documents/ab", "documents/abc", "documents/b"], documents.Select(b => b.Name).Order());
        Assert.Equal([1L, 2L, 70_000L], documents.OrderBy(b => b.Name).Select(b => b.Size));
        Assert.All(documents, b => Assert.InRange(b.LastModified, before, after));

        Assert.Equal(["documents/ab", "documents/abc"], (await ListAsync("documents/a")).Select(b => b.Name).Order());
        Assert.Equal(["exports/ab"], (await ListAsync("exports/")).Select(b => b.Name));
        Assert.Equal(5 - 1, (await ListAsync("")).Count);
        Assert.Empty(await ListAsync("nothing/"));
    }

    [Fact]
    public async Task List_sees_a_replaced_blob_once_with_its_new_size()
    {
        var name = BlobNames.NewExport();
        await Store.PutAsync(name, new MemoryStream(RandomBytes(5000, seed: 31)));
        await Store.PutAsync(name, new MemoryStream(RandomBytes(10, seed: 32)));

        var listed = Assert.Single(await ListAsync("exports/"));
        Assert.Equal(name, listed.Name);
        Assert.Equal(10, listed.Size);
    }

    [Theory]
    [InlineData("Documents/")]
    [InlineData("../")]
    [InlineData("/documents")]
    [InlineData("documents/a/b")]
    [InlineData("documents\\")]
    public async Task List_refuses_an_invalid_prefix_before_any_io(string prefix)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ListAsync(prefix));
        Assert.True(await BackendIsUntouchedAsync());
    }

    protected async Task<List<BlobInfo>> ListAsync(string prefix)
    {
        var listed = new List<BlobInfo>();
        await foreach (var blob in Store.ListAsync(prefix))
            listed.Add(blob);
        return listed;
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("Documents/X")]
    [InlineData("a b")]
    [InlineData("documents/../../etc")]
    [InlineData("/documents/x")]
    [InlineData("documents\\x")]
    [InlineData("documents/a/b")]
    [InlineData("documents/")]
    [InlineData("")]
    public async Task Invalid_names_are_refused_before_any_io(string name)
    {
        var source = new PseudoRandomStream(10, seed: 7);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(name, source));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(name));

        Assert.Equal(0, source.BytesServed);
        Assert.True(await BackendIsUntouchedAsync());
    }

    protected async Task<byte[]> ReadAllAsync(string name)
    {
        await using var stream = await Store.OpenReadAsync(name);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// Deterministic pseudo-random bytes made on the fly (never held whole), readable once, not seekable:
    /// like an upload arriving from the network.
    /// </summary>
    protected sealed class PseudoRandomStream(long length, ulong seed) : Stream
    {
        private long _position;

        public (long Position, Func<Task> Action)? Checkpoint { get; init; }
        public bool CheckpointReached { get; private set; }

        /// <summary>Throws <see cref="IOException"/> once this many bytes have been served.</summary>
        public long? FailAt { get; init; }

        public long BytesServed => _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Checkpoint is { } checkpoint && !CheckpointReached && _position >= checkpoint.Position)
            {
                CheckpointReached = true;
                await checkpoint.Action();
            }
            if (FailAt is { } failAt && _position >= failAt)
                throw new IOException("The upload was cut off.");

            var count = (int)Math.Min(buffer.Length, length - _position);
            if (FailAt is { } limit)
                count = (int)Math.Min(count, limit - _position);
            var span = buffer.Span[..count];
            for (var i = 0; i < span.Length; i++)
                span[i] = ByteAt(_position + i);
            _position += count;
            return count;
        }

        // A function of the position alone, so the bytes do not depend on how the reader chunks its reads.
        private byte ByteAt(long position)
        {
            var z = seed + (ulong)(position >> 3) * 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (byte)(z >> (int)((position & 7) * 8));
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class FileSystemBlobStoreTests : BlobStoreContract
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"recruiting-blobs-{Guid.NewGuid():N}");

    protected override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(new FileSystemBlobStore(_root));

    protected override Task<bool> BackendIsUntouchedAsync() =>
        Task.FromResult(!Directory.EnumerateFileSystemEntries(_root).Any());

    protected override Task<long> BytesPersistedSoFarAsync(string name) =>
        Task.FromResult(TempFiles().Sum(f => new FileInfo(f).Length));

    public override Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Blob_a_slash_b_is_the_file_root_slash_a_slash_b()
    {
        var content = RandomBytes(3000, seed: 10);

        await Store.PutAsync("documents/abc123", new MemoryStream(content));

        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_root, "documents", "abc123")));
    }

    [Fact]
    public async Task No_temp_files_remain_after_a_successful_or_failed_put()
    {
        await Store.PutAsync(BlobNames.NewDocument(), new MemoryStream(RandomBytes(200_000, seed: 11)));
        await Assert.ThrowsAsync<IOException>(() =>
            Store.PutAsync(BlobNames.NewDocument(), new PseudoRandomStream(Mebibyte, seed: 12) { FailAt = 100_000 }));

        Assert.Empty(TempFiles());
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "documents")));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Blob_files_are_readable_by_the_owner_only()
    {
        var name = BlobNames.NewDocument();

        await Store.PutAsync(name, new MemoryStream([42]));

        var path = Path.Combine(_root, name);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_reader_keeps_its_bytes_while_the_blob_is_replaced_or_deleted()
    {
        var name = BlobNames.NewDocument();
        var original = RandomBytes(300_000, seed: 13);
        await Store.PutAsync(name, new MemoryStream(original));

        await using var reader = await Store.OpenReadAsync(name);
        Assert.NotNull(reader);
        var replacement = RandomBytes(1000, seed: 14);
        await Store.PutAsync(name, new MemoryStream(replacement));
        Assert.Equal(replacement, await ReadAllAsync(name));
        Assert.True(await Store.DeleteAsync(name));

        using var copy = new MemoryStream();
        await reader.CopyToAsync(copy);
        Assert.Equal(original, copy.ToArray());
        Assert.False(await Store.ExistsAsync(name));
    }

    [Fact]
    public async Task List_skips_the_temp_files_of_unfinished_uploads()
    {
        var name = BlobNames.NewDocument();
        await Store.PutAsync(name, new MemoryStream([1]));
        await File.WriteAllBytesAsync(Path.Combine(_root, "documents", $".{Guid.NewGuid():N}.{Guid.NewGuid():N}.tmp"), [9, 9]);

        Assert.Equal([name], (await ListAsync("documents/")).Select(b => b.Name));
    }

    private string[] TempFiles() =>
        Directory.EnumerateFiles(_root, ".*", SearchOption.AllDirectories).ToArray();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreTests(AzuriteFixture azurite) : BlobStoreContract
{
    // A container per test, so tests never see each other's blobs and each one exercises the lazy creation.
    private readonly BlobContainerClient _container = new(
        azurite.ConnectionString, $"test-{Guid.NewGuid():N}", AzureBlobStore.CreateClientOptions());

    protected override Task<IBlobStore> CreateStoreAsync() =>
        Task.FromResult<IBlobStore>(new AzureBlobStore(azurite.ConnectionString, _container.Name));

    protected override async Task<bool> BackendIsUntouchedAsync() => !(await _container.ExistsAsync()).Value;

    protected override async Task<long> BytesPersistedSoFarAsync(string name)
    {
        try
        {
            var blocks = await _container.GetBlockBlobClient(name).GetBlockListAsync(BlockListTypes.Uncommitted);
            return blocks.Value.UncommittedBlocks.Sum(b => b.SizeLong);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }

    public override async Task DisposeAsync() => await _container.DeleteIfExistsAsync();

    [Fact]
    public async Task The_container_is_created_on_first_put_and_is_private()
    {
        Assert.False((await _container.ExistsAsync()).Value);

        await Store.PutAsync(BlobNames.NewDocument(), new MemoryStream([1]));

        var policy = await _container.GetAccessPolicyAsync();
        Assert.Equal(PublicAccessType.None, policy.Value.BlobPublicAccess);
    }

    [Fact]
    public async Task Delete_removes_the_blobs_snapshots_too()
    {
        var name = BlobNames.NewDocument();
        await Store.PutAsync(name, new MemoryStream(RandomBytes(1000, seed: 20)));
        await _container.GetBlobClient(name).CreateSnapshotAsync();
        await Store.PutAsync(name, new MemoryStream(RandomBytes(1000, seed: 21)));
        Assert.Equal(2, await CountListedAsync(name));

        Assert.True(await Store.DeleteAsync(name));

        Assert.Equal(0, await CountListedAsync(name));
    }

    [Fact]
    public async Task Concurrent_first_puts_create_the_container_once_and_use_the_pinned_service_version()
    {
        var recorder = new RequestRecorder();
        var options = AzureBlobStore.CreateClientOptions();
        options.AddPolicy(recorder, HttpPipelinePosition.PerCall);
        var store = new AzureBlobStore(new BlobContainerClient(azurite.ConnectionString, _container.Name, options));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            store.PutAsync(BlobNames.NewDocument(), new MemoryStream(RandomBytes(100, seed: i)))));

        Assert.Equal(1, recorder.Requests.Count(r => r.Method == "PUT" && r.Query.Contains("restype=container", StringComparison.Ordinal)));
        // A non-seekable upload of unknown length always ends with one block-list commit.
        Assert.Equal(8, recorder.Requests.Count(r => r.Method == "PUT" && r.Query.Contains("comp=blocklist", StringComparison.Ordinal)));
        Assert.All(recorder.Requests, r => Assert.Equal("2026-06-06", r.Version));
    }

    [Fact]
    public async Task Delete_also_deletes_the_previous_versions_an_account_with_versioning_keeps()
    {
        // Azurite keeps no versions, so the account's answers about versions are simulated;
        // everything else (the blob itself, its delete) goes to Azurite.
        var name = BlobNames.NewDocument();
        var versioned = new VersionedAccountSimulation(name,
            ("2026-01-01T00:00:00.0000000Z", name),
            ("2026-02-01T00:00:00.0000000Z", name),
            ("2026-03-01T00:00:00.0000000Z", name + "0")); // a longer name that only shares the prefix
        var options = AzureBlobStore.CreateClientOptions();
        options.AddPolicy(versioned, HttpPipelinePosition.PerCall);
        var store = new AzureBlobStore(new BlobContainerClient(azurite.ConnectionString, _container.Name, options));
        await store.PutAsync(name, new MemoryStream([1, 2, 3]));

        Assert.True(await store.DeleteAsync(name));

        Assert.Equal(["2026-01-01T00:00:00.0000000Z", "2026-02-01T00:00:00.0000000Z"], versioned.DeletedVersions.Order());
        Assert.False(await store.ExistsAsync(name));
    }

    private async Task<int> CountListedAsync(string name)
    {
        var count = 0;
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.All, Prefix = name }))
        {
            if (item.Name == name)
                count++;
        }
        return count;
    }

    /// <summary>Answers version listings and version deletes as an account with blob versioning would.</summary>
    private sealed class VersionedAccountSimulation(string prefix, params (string VersionId, string Name)[] versions) : HttpPipelinePolicy
    {
        public ConcurrentBag<string> DeletedVersions { get; } = [];

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var request = message.Request;
            var query = Uri.UnescapeDataString(request.Uri.Query);
            if (request.Method == RequestMethod.Get && query.Contains("comp=list", StringComparison.Ordinal)
                && query.Contains("include=", StringComparison.Ordinal) && query.Contains("versions", StringComparison.OrdinalIgnoreCase))
            {
                message.Response = new CannedResponse(200, ListingXml());
                return;
            }
            if (request.Method == RequestMethod.Delete && query.Contains("versionid=", StringComparison.Ordinal))
            {
                DeletedVersions.Add(query[(query.IndexOf("versionid=", StringComparison.Ordinal) + "versionid=".Length)..].Split('&')[0]);
                message.Response = new CannedResponse(202, "");
                return;
            }
            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        private string ListingXml()
        {
            var blobs = string.Concat(versions.Select(v =>
                $"<Blob><Name>{v.Name}</Name><VersionId>{v.VersionId}</VersionId><Properties>"
                + "<Content-Length>3</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>"));
            return "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                + $"<EnumerationResults ServiceEndpoint=\"http://127.0.0.1/devstoreaccount1/\" ContainerName=\"c\"><Prefix>{prefix}</Prefix>"
                + $"<Blobs>{blobs}</Blobs><NextMarker /></EnumerationResults>";
        }
    }

    private sealed class CannedResponse(int status, string body) : Response
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = "application/xml",
            ["x-ms-version"] = "2026-06-06",
        };

        public override int Status => status;
        public override string ReasonPhrase => "";
        public override Stream? ContentStream { get; set; } = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
        public override string ClientRequestId { get; set; } = "";
        public override void Dispose() => ContentStream?.Dispose();
        protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));

        protected override bool TryGetHeader(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            _headers.TryGetValue(name, out value);

        protected override bool TryGetHeaderValues(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = _headers.TryGetValue(name, out var value) ? [value] : null;
            return values is not null;
        }
    }

    private sealed class RequestRecorder : HttpPipelineSynchronousPolicy
    {
        public ConcurrentBag<(string Method, string Query, string? Version)> Requests { get; } = [];

        public override void OnSendingRequest(HttpMessage message)
        {
            message.Request.Headers.TryGetValue("x-ms-version", out var version);
            Requests.Add((message.Request.Method.Method, message.Request.Uri.Query, version));
        }
    }
}

public sealed class BlobStoreRegistrationTests
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"recruiting-data-{Guid.NewGuid():N}");

    [Fact]
    public void By_default_the_file_system_store_lives_in_the_data_directorys_blobs_folder()
    {
        var store = Resolve([]);

        var fileSystem = Assert.IsType<FileSystemBlobStore>(store);
        Assert.Equal(Path.Combine(_dataDirectory, "blobs"), fileSystem.RootPath);
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public void A_relative_FileSystemPath_is_taken_relative_to_the_data_directory()
    {
        var store = Resolve(new() { ["BlobStorage:FileSystemPath"] = "cvs" });

        Assert.Equal(Path.Combine(_dataDirectory, "cvs"), Assert.IsType<FileSystemBlobStore>(store).RootPath);
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public void Azure_is_chosen_by_the_Provider_setting_with_the_default_container_name()
    {
        var store = Resolve(new()
        {
            ["BlobStorage:Provider"] = "Azure",
            ["BlobStorage:Azure:ConnectionString"] = "UseDevelopmentStorage=true",
        });

        Assert.Equal("recruiting", Assert.IsType<AzureBlobStore>(store).ContainerName);
    }

    [Fact]
    public void Azure_without_a_connection_string_fails_naming_the_missing_setting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["BlobStorage:Provider"] = "Azure" }));

        Assert.Contains("BlobStorage:Azure:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    private IBlobStore Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddBlobStore(configuration, _dataDirectory).BuildServiceProvider();
        return services.GetRequiredService<IBlobStore>();
    }
}
