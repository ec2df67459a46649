using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>
/// <c>/health</c> tells a load balancer, without signing in, whether the database, the blob store and
/// Hangfire work, and tells it nothing else.
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_anonymous_and_reports_each_part_and_nothing_else()
    {
        using var portal = new PortalFactory();
        using var client = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var (response, body) = (default(HttpResponseMessage)!, "");
        // Hangfire's server announces itself as the host starts; until then the jobs check may say Degraded.
        await Wait.UntilAsync(async () =>
        {
            response = await client.GetAsync("/health");
            body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && Report(body).Status == "Healthy";
        }, "the portal to report healthy");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var report = Report(body);
        Assert.Equal(new Dictionary<string, string> { ["database"] = "Healthy", ["blobs"] = "Healthy", ["jobs"] = "Healthy" }, report.Checks);
        foreach (var secret in new[] { portal.DataDirectory, "recruiting.db", "Data Source", portal.HrPassword, PortalFactory.HrEmail })
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unreachable_blob_store_makes_the_portal_unhealthy_without_naming_it()
    {
        var port = ClosedPort();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        using var portal = new PortalFactory
        {
            Settings =
            {
                ["BlobStorage:Provider"] = "Azure",
                ["BlobStorage:Azure:ConnectionString"] =
                    $"DefaultEndpointsProtocol=http;AccountName=healthprobe;AccountKey={key};BlobEndpoint=http://127.0.0.1:{port}/healthprobe;",
                ["BlobStorage:Azure:ContainerName"] = "unreachable",
            },
        };
        using var client = portal.CreateClient();
        _ = portal.Services; // started before the clock runs

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await client.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // In time for a load balancer: the check gives up after its timeout rather than wait out the client's retries.
        Assert.True(watch.Elapsed < Recruiting.Infrastructure.InfrastructureServiceCollectionExtensions.HealthCheckTimeout * 3,
            $"answered after {watch.Elapsed}");
        var report = Report(body);
        Assert.Equal("Unhealthy", report.Status);
        Assert.Equal("Unhealthy", report.Checks["blobs"]);
        Assert.Equal("Healthy", report.Checks["database"]);
        foreach (var secret in new[] { "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "healthprobe", key, "unreachable" })
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
    }

    private sealed record HealthReport(string Status, Dictionary<string, string> Checks);

    /// <summary>Reads the report, failing if it holds anything but the overall status and one status per check.</summary>
    private static HealthReport Report(string body)
    {
        using var json = JsonDocument.Parse(body);
        Assert.Equal(["status", "checks"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var checks = json.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return new HealthReport(json.RootElement.GetProperty("status").GetString()!, checks);
    }

    /// <summary>A loopback port nothing listens on (it was free a moment ago, and nothing here binds it).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
