namespace Recruiting.Infrastructure.Scanning;

/// <summary>Settings section <c>Uploads:Scanner</c>: the clamd every upload is scanned by.</summary>
public sealed class ClamAvOptions
{
    public const string Section = "Uploads:Scanner";

    /// <summary>
    /// On unless a setting turns it off, so that a deployment cannot forget it: outside Development the portal refuses
    /// to start while clamd does not answer (<see cref="ScanningServiceCollectionExtensions.CheckAtStartAsync"/>).
    /// Off, start-up logs a warning. appsettings.Development.json turns it off for the quick start.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The clamd's TCP address (its <c>TCPAddr</c>).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The clamd's TCP port (its <c>TCPSocket</c>).</summary>
    public int Port { get; set; } = 3310;

    /// <summary>Longest one scan may take, connecting included; past it the upload fails closed.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    internal bool IsValid => !string.IsNullOrWhiteSpace(Host) && Port is > 0 and <= 65535 && TimeoutSeconds > 0;
}
