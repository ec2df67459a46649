using Microsoft.Extensions.Hosting;
using Recruiting.Infrastructure.Mail;
using Recruiting.Infrastructure.Scanning;

namespace Recruiting.Infrastructure.Setup;

/// <summary>Checks, before anything is served, the settings a deployment must not get wrong silently.</summary>
public static class SafeDefaults
{
    /// <summary>Why this instance must not start (each reason on its own line), or null.</summary>
    public static async Task<string?> CheckAtStartAsync(IServiceProvider services, IConfiguration configuration,
        IHostEnvironment environment, ILogger logger, CancellationToken cancellationToken = default)
    {
        string?[] refusals =
        [
            MailServiceCollectionExtensions.CheckAtStart(configuration, environment),
            await ScanningServiceCollectionExtensions.CheckAtStartAsync(services, environment, logger, cancellationToken),
        ];
        var reasons = refusals.OfType<string>().ToList();
        return reasons.Count == 0 ? null : string.Join(Environment.NewLine, reasons);
    }
}
