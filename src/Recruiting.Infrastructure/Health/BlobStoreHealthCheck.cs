using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recruiting.Core.Storage;

namespace Recruiting.Infrastructure.Health;

/// <summary>Asks the blob store about one fixed name: a round trip that needs the store reachable and the credentials valid, and writes nothing.</summary>
internal sealed class BlobStoreHealthCheck(IBlobStore blobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await blobs.ExistsAsync("health/probe", cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
