using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Recruiting.Infrastructure.Scanning;

/// <summary>PING → PONG. Registered as Degraded on failure: without clamd only uploads stop (fail closed), the rest of the portal works.</summary>
internal sealed class ClamAvHealthCheck(IOptions<ClamAvOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        return await new ClamdClient(settings.Host, settings.Port).PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus);
    }
}
