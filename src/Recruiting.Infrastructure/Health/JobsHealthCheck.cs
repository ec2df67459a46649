using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Recruiting.Infrastructure.Health;

/// <summary>Hangfire's storage answers and at least one job server has sent a heartbeat lately.</summary>
internal sealed class JobsHealthCheck(JobStorage storage) : IHealthCheck
{
    private static readonly TimeSpan HeartbeatWithin = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Heartbeats are stamped by Hangfire with the machine clock, not the application's TimeProvider.
        var since = DateTime.UtcNow - HeartbeatWithin;
        var live = storage.GetMonitoringApi().Servers().Any(s => s.Heartbeat is { } beat && beat >= since);
        return Task.FromResult(live ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded());
    }
}
