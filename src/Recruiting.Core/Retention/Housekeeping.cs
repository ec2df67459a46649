namespace Recruiting.Core.Retention;

/// <summary>The enforcement run's housekeeping: orphan blobs, missing blobs, old security records. Returns counts per kind.</summary>
public sealed class Housekeeping
{
    // Stub in the enforcement branch (the housekeeping branch has the real one): nothing to report.
    public Task<IReadOnlyDictionary<string, int>> RunAsync(bool dryRun, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>());
}
