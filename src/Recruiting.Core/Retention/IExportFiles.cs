namespace Recruiting.Core.Retention;

/// <summary>
/// The "Download my data" ZIPs as the retention run's housekeeping and the orphan sweep need them. The requests that
/// own them belong to the rights feature, which builds on retention (due dates, deletion), so retention reaches them
/// through this port instead of using the requests itself.
/// </summary>
public interface IExportFiles
{
    /// <summary>Deletes the ZIPs whose time is up and returns how many; with <paramref name="dryRun"/> only counts them.</summary>
    Task<int> ExpireAsync(bool dryRun, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="blobNames"/> that a request still names as its export.</summary>
    Task<List<string>> NamedAsync(IReadOnlyCollection<string> blobNames, CancellationToken cancellationToken);
}
