namespace Recruiting.Core.Uploads;

/// <summary>Settings section <c>Uploads</c>.</summary>
public sealed class UploadOptions
{
    public const string Section = "Uploads";

    /// <summary>Largest accepted file, in bytes (default 10 MB).</summary>
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest total a DOCX/ODT may declare when unpacked (zip-bomb guard).</summary>
    public long MaxUnpackedBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>Most entries a DOCX/ODT may hold.</summary>
    public int MaxArchiveEntries { get; set; } = 2000;

    /// <summary>Largest declared compression ratio of any one entry.</summary>
    public int MaxCompressionRatio { get; set; } = 200;
}
