using Recruiting.Core.Uploads;

namespace Recruiting.Infrastructure.Scanning;

/// <summary>
/// Used when <c>Uploads:Scanner:Enabled</c> is false: passes every upload, and says once, loudly, that it does.
/// The content checks (type, size, zip bombs) still run; only the malware scan is skipped.
/// </summary>
public sealed class ScanningDisabled : IUploadScanner
{
    public ScanningDisabled(ILogger<ScanningDisabled> logger) =>
        logger.LogWarning("Uploads are not scanned for malware: Uploads:Scanner:Enabled is false");

    public Task<ScanVerdict> ScanAsync(Stream content, CancellationToken cancellationToken) => Task.FromResult(ScanVerdict.Clean);
}
