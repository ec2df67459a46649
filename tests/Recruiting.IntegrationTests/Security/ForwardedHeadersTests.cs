using System.Net;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Security;

/// <summary>
/// Behind a configured proxy (ForwardedHeaders:KnownProxies) the client's address comes from X-Forwarded-For and the
/// scheme from X-Forwarded-Proto, so each client behind it has its own rate limit and https requests get HSTS. The
/// same headers from any other address are ignored: a client cannot pick its own address.
/// </summary>
public sealed class ForwardedHeadersTests : IDisposable
{
    private const int Proxy = 1; // 10.0.0.1, configured
    private const int Stranger = 2; // 10.0.0.2, not configured
    private const string Limited = "/account/forgot-password"; // RateLimits:PasswordReset, 5 per client

    private readonly PortalFactory _portal = new()
    {
        ProductionRateLimits = true,
        TestServices = SecurityHosts.ClientAddresses,
        Settings = { ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.1" },
    };

    public void Dispose() => _portal.Dispose();

    private HttpClient Through(int proxy, string clientAddress, string? scheme = null)
    {
        var client = _portal.CreateBrowserClient().WithClientAddress(proxy);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        if (scheme is not null)
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", scheme);
        return client;
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client) =>
        (await client.PostAsync(Limited, new FormUrlEncodedContent([]))).StatusCode;

    [Fact]
    public async Task Two_clients_behind_the_configured_proxy_have_separate_rate_limits()
    {
        var first = Through(Proxy, "203.0.113.10");
        for (var i = 0; i < 5; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostAsync(first));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(first));

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostAsync(Through(Proxy, "203.0.113.11")));
    }

    [Fact]
    public async Task An_unconfigured_senders_forwarded_for_is_ignored()
    {
        for (var i = 0; i < 5; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostAsync(Through(Stranger, $"203.0.113.{20 + i}")));
        // A new address in the header does not make a new client.
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(Through(Stranger, "203.0.113.99")));
    }

    [Fact]
    public async Task Https_at_the_configured_proxy_gets_HSTS_and_a_claimed_https_from_elsewhere_does_not()
    {
        var viaProxy = await Through(Proxy, "203.0.113.30", "https").GetAsync("/");
        HttpAssert.Status(HttpStatusCode.OK, viaProxy);
        Assert.Equal("max-age=31536000; includeSubDomains", Assert.Single(viaProxy.Headers.GetValues("Strict-Transport-Security")));

        var claimed = await Through(Stranger, "203.0.113.31", "https").GetAsync("/");
        HttpAssert.Status(HttpStatusCode.OK, claimed);
        Assert.False(claimed.Headers.Contains("Strict-Transport-Security"));
    }
}
