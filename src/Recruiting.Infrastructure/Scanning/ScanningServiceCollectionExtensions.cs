using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Recruiting.Core.Uploads;

namespace Recruiting.Infrastructure.Scanning;

public static class ScanningServiceCollectionExtensions
{
    /// <summary>Longest start-up waits for clamd's PONG.</summary>
    private static readonly TimeSpan StartPingTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The upload scanner: clamd unless <c>Uploads:Scanner:Enabled</c> is false (with an "antivirus" health check), otherwise none.</summary>
    public static IServiceCollection AddUploadScanning(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ClamAvOptions.Section);
        services.AddOptions<ClamAvOptions>().Bind(section)
            .Validate(o => !o.Enabled || o.IsValid, "Uploads:Scanner needs, when Enabled, a Host, a Port from 1 to 65535 and a positive TimeoutSeconds.")
            .ValidateOnStart();
        if (!(section.Get<ClamAvOptions>() ?? new ClamAvOptions()).Enabled)
        {
            services.AddSingleton<IUploadScanner, ScanningDisabled>();
            return services;
        }
        services.AddSingleton<IUploadScanner, ClamAvScanner>();
        services.AddHealthChecks().AddCheck<ClamAvHealthCheck>("antivirus", HealthStatus.Degraded);
        return services;
    }

    /// <summary>
    /// At start-up: with scanning off, a warning; with it on, clamd must answer PING. Outside Development an unanswered
    /// PING is a reason not to start (returned), since a portal that takes uploads it cannot scan would fail every one
    /// of them closed; in Development it is a warning, and uploads fail closed until clamd answers.
    /// </summary>
    public static async Task<string?> CheckAtStartAsync(IServiceProvider services, IHostEnvironment environment,
        ILogger logger, CancellationToken cancellationToken = default)
    {
        var settings = services.GetRequiredService<IOptions<ClamAvOptions>>().Value;
        if (!settings.Enabled)
        {
            logger.LogWarning("Uploads are not scanned for malware: Uploads:Scanner:Enabled is false");
            return null;
        }
        if (await AnswersAsync(settings, cancellationToken))
            return null;
        var problem = $"No virus scanner (clamd) answers at {settings.Host}:{settings.Port} (Uploads:Scanner:Host, Uploads:Scanner:Port)";
        if (environment.IsDevelopment())
        {
            logger.LogWarning("{Problem}; uploads fail closed until it does", problem);
            return null;
        }
        return problem + ". Start clamd there, or set Uploads:Scanner:Enabled=false to take uploads without a malware scan.";
    }

    private static async Task<bool> AnswersAsync(ClamAvOptions settings, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout < StartPingTimeout ? settings.Timeout : StartPingTimeout);
        try
        {
            return await new ClamdClient(settings.Host, settings.Port).PingAsync(deadline.Token);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
