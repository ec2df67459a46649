using Recruiting.Core.Uploads;

namespace Recruiting.Infrastructure.Scanning;

/// <summary>
/// Used when <c>Uploads:Scanner:Enabled</c> is set to false: passes every upload (start-up logs a warning that it does).
/// The content checks (type, size, zip bombs) still run; only the malware scan is skipped.
/// </summary>
public sealed class ScanningDisabled : IUploadScanner
{
    public Task<ScanVerdict> ScanAsync(Stream content, CancellationToken cancellationToken) => Task.FromResult(ScanVerdict.Clean);
}
