namespace Recruiting.Infrastructure.Scanning;

/// <summary>Settings section <c>Uploads:Scanner</c>: the clamd every upload is scanned by.</summary>
public sealed class ClamAvOptions
{
    public const string Section = "Uploads:Scanner";

    /// <summary>
    /// Off by default so that the embedded default (<c>dotnet run</c> on a laptop) accepts uploads without a clamd;
    /// production turns it on (appsettings.sample.json does). Off, the portal logs a warning once, when uploads are first handled.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>The clamd's TCP address (its <c>TCPAddr</c>).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The clamd's TCP port (its <c>TCPSocket</c>).</summary>
    public int Port { get; set; } = 3310;

    /// <summary>Longest one scan may take, connecting included; past it the upload fails closed.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    internal bool IsValid => !string.IsNullOrWhiteSpace(Host) && Port is > 0 and <= 65535 && TimeoutSeconds > 0;
}
