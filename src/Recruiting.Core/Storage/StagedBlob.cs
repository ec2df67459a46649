namespace Recruiting.Core.Storage;

/// <summary>
/// An upload streamed into the blob store as it arrived, before any check: reading a form writes each file once, to
/// where it will stay, instead of spooling it to a temporary file and copying it from there. Whoever receives the upload
/// deletes the blob when the request ends unless the feature that took the file in kept it, which it does once the row
/// that refers to the blob is committed. A blob left by a crash in between has no row and is removed by the orphan sweep.
/// </summary>
public sealed class StagedBlob(StoredBlob blob)
{
    public StoredBlob Blob { get; } = blob;

    public bool Kept { get; private set; }

    public void Keep() => Kept = true;
}
