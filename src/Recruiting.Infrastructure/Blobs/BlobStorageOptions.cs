namespace Recruiting.Infrastructure.Blobs;

/// <summary>Settings section <c>BlobStorage</c>: where CVs and exports are kept.</summary>
public sealed class BlobStorageOptions
{
    public const string Section = "BlobStorage";

    public BlobStoreProvider Provider { get; set; } = BlobStoreProvider.FileSystem;

    /// <summary>Folder of the file-system store. Default <c>&lt;DataDirectory&gt;/blobs</c>;
    /// a relative path is taken relative to the data directory.</summary>
    public string? FileSystemPath { get; set; }

    public AzureBlobStorageOptions Azure { get; set; } = new();
}

public enum BlobStoreProvider
{
    FileSystem,
    Azure,
}

/// <summary>Settings section <c>BlobStorage:Azure</c>.</summary>
public sealed class AzureBlobStorageOptions
{
    /// <summary>Storage account connection string; a secret, so keep it out of committed settings files.</summary>
    public string? ConnectionString { get; set; }

    public string ContainerName { get; set; } = "recruiting";
}
