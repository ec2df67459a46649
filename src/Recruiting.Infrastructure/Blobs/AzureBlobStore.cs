using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Recruiting.Core.Storage;
using BlobInfo = Recruiting.Core.Storage.BlobInfo;

namespace Recruiting.Infrastructure.Blobs;

/// <summary>Keeps blobs in one private Azure Blob Storage container (Azurite in development and tests).</summary>
public sealed class AzureBlobStore : IBlobStore
{
    /// <summary>
    /// Azure.Storage.Blobs 12.30 speaks service version 2026-10-06 by default, which Azurite 3.37 rejects
    /// (it accepts up to 2026-06-06). Pinning one version both accept keeps development, tests and
    /// production on the same wire protocol instead of hiding the mismatch behind --skipApiVersionCheck.
    /// </summary>
    public const BlobClientOptions.ServiceVersion PinnedServiceVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    // 4 MiB blocks, two in flight: one upload holds a few blocks in memory, never the whole file.
    // The source is not seekable (see HashingReadStream), so the SDK stages blocks and commits a block list
    // even for a small CV: two requests instead of one, the price of hashing while streaming.
    private static readonly StorageTransferOptions TransferOptions = new()
    {
        InitialTransferSize = 4 * 1024 * 1024,
        MaximumTransferSize = 4 * 1024 * 1024,
        MaximumConcurrency = 2,
    };

    private readonly BlobContainerClient _container;
    private readonly SemaphoreSlim _containerLock = new(1, 1);
    private volatile bool _containerReady;

    public AzureBlobStore(string connectionString, string containerName)
        : this(new BlobContainerClient(connectionString, containerName, CreateClientOptions()))
    {
    }

    /// <summary>For callers that build the client themselves (tests add pipeline policies);
    /// it should use <see cref="CreateClientOptions"/>.</summary>
    public AzureBlobStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    public string ContainerName => _container.Name;

    public static BlobClientOptions CreateClientOptions() => new(PinnedServiceVersion);

    public async Task<StoredBlob> PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        BlobNames.EnsureValid(name);
        ArgumentNullException.ThrowIfNull(content);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);

        var hashing = new HashingReadStream(content, leaveOpen: true);
        await using (hashing.ConfigureAwait(false))
        {
            // The wrapper is not seekable, so the SDK buffers one block at a time for its retries
            // instead of seeking back; that also keeps the hash equal to the bytes that were committed.
            // Staged blocks only become the blob on the final commit, so a failed upload leaves the old blob intact.
            await _container.GetBlobClient(name).UploadAsync(hashing, new BlobUploadOptions
            {
                TransferOptions = TransferOptions,
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            }, cancellationToken).ConfigureAwait(false);

            return new StoredBlob(name, hashing.BytesRead, hashing.Sha256);
        }
    }

    public async Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken = default)
    {
        BlobNames.EnsureValid(name);
        try
        {
            // One GET whose 404 surfaces here rather than on the first Read; the SDK resumes a broken
            // download with a range request pinned to the same ETag, so a concurrent overwrite fails instead of mixing content.
            var response = await _container.GetBlobClient(name)
                .DownloadStreamingAsync(new BlobDownloadOptions(), cancellationToken).ConfigureAwait(false);
            return response.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        BlobNames.EnsureValid(name);
        // DeleteIfExists answers false for a missing blob and for a missing container alike.
        var existed = (await _container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots,
            cancellationToken: cancellationToken).ConfigureAwait(false)).Value;

        // Runs even when the current blob was already gone, so a delete that crashed half-way
        // and is retried still removes the versions left behind.
        await DeletePreviousVersionsAsync(name, cancellationToken).ConfigureAwait(false);
        return existed;
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        BlobNames.EnsureValid(name);
        // Exists answers false for a missing container too.
        return (await _container.GetBlobClient(name).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
    }

    public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        BlobNames.EnsureValidPrefix(prefix);
        return ListPagesAsync(prefix, cancellationToken);
    }

    /// <summary>Current blobs only (no snapshots, versions or uncommitted uploads), page by page; a missing container lists nothing.</summary>
    private async IAsyncEnumerable<BlobInfo> ListPagesAsync(string prefix,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix }, cancellationToken)
            .AsPages().GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                Page<BlobItem>? page;
                try
                {
                    page = await pages.MoveNextAsync().ConfigureAwait(false) ? pages.Current : null;
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    page = null; // the container was never created: nothing is stored
                }
                if (page is null)
                    yield break;
                foreach (var item in page.Values)
                {
                    if (!BlobNames.IsValid(item.Name))
                        continue;
                    yield return new BlobInfo(item.Name, item.Properties.ContentLength ?? 0,
                        item.Properties.LastModified ?? item.Properties.CreatedOn ?? DateTimeOffset.MinValue);
                }
            }
        }
    }

    /// <summary>
    /// On an account with blob versioning, every overwrite and the delete itself leave previous versions
    /// holding the old bytes; erasure must remove them too.
    /// </summary>
    private async Task DeletePreviousVersionsAsync(string name, CancellationToken cancellationToken)
    {
        var versions = new List<string>();
        try
        {
            var listing = _container.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.Version, Prefix = name }, cancellationToken);
            await foreach (var item in listing.ConfigureAwait(false))
            {
                // The prefix also matches longer names ("documents/ab" finds "documents/abc").
                if (item.Name == name && item.VersionId is not null)
                    versions.Add(item.VersionId);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404 || IsVersioningUnsupported(e))
        {
            // 404: the container was never created, so no version of anything exists.
            return;
        }

        var blob = _container.GetBlobClient(name);
        foreach (var versionId in versions)
            await blob.WithVersion(versionId).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // Where the service does not know blob versions (older emulators, hierarchical-namespace accounts) it refuses
    // the include=versions listing instead of returning an empty one; such a store keeps no versions to delete.
    // Azurite 3.37 accepts the listing and simply returns no versions.
    private static bool IsVersioningUnsupported(RequestFailedException e) =>
        e.Status is 400 or 409 or 501
        && e.ErrorCode is "InvalidQueryParameterValue" or "UnsupportedQueryParameter" or "NotImplemented"
            or "FeatureNotYetSupportedForHierarchicalNamespaceAccounts";

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerReady)
            return;
        await _containerLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_containerReady)
                return;
            // PublicAccessType.None: CVs are reached only through the app, never by a URL.
            // A failure is not remembered, so the next put tries again (unlike a cached Lazy<Task>).
            await _container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken).ConfigureAwait(false);
            _containerReady = true;
        }
        finally
        {
            _containerLock.Release();
        }
    }
}
