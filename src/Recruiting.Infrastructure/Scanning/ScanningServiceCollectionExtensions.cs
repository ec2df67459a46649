using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recruiting.Core.Uploads;

namespace Recruiting.Infrastructure.Scanning;

public static class ScanningServiceCollectionExtensions
{
    /// <summary>The upload scanner: clamd when <c>Uploads:Scanner:Enabled</c> is true (with an "antivirus" health check), otherwise none.</summary>
    public static IServiceCollection AddUploadScanning(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ClamAvOptions.Section);
        services.AddOptions<ClamAvOptions>().Bind(section)
            .Validate(o => !o.Enabled || o.IsValid, "Uploads:Scanner needs, when Enabled, a Host, a Port from 1 to 65535 and a positive TimeoutSeconds.")
            .ValidateOnStart();
        if (!(section.Get<ClamAvOptions>()?.Enabled ?? false))
        {
            services.AddSingleton<IUploadScanner, ScanningDisabled>();
            return services;
        }
        services.AddSingleton<IUploadScanner, ClamAvScanner>();
        services.AddHealthChecks().AddCheck<ClamAvHealthCheck>("antivirus", HealthStatus.Degraded);
        return services;
    }
}
