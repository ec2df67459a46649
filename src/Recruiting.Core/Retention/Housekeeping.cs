namespace Recruiting.Core.Retention;

/// <summary>The enforcement run's housekeeping: orphan blobs, missing blobs, old security records. Returns counts per kind.</summary>
public sealed class Housekeeping
{
    public Task<IReadOnlyDictionary<string, int>> RunAsync(bool dryRun, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
