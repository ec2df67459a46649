using System.Net;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Security;

/// <summary>Rate limits, with the production limits (the other test hosts raise them): per client address,
/// answered with 429, Retry-After and the plain "Too many requests" page.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new() { ProductionRateLimits = true, TestServices = SecurityHosts.ClientAddresses };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private PortalBrowser Client(int n) => new(_portal.CreateBrowserClient().WithClientAddress(n));

    [Fact]
    public async Task A_burst_of_50_sign_in_attempts_from_one_client_gets_429s_with_Retry_After_and_another_client_is_unaffected()
    {
        var attacker = Client(1);
        var token = PortalBrowser.AntiforgeryToken(await attacker.GetPageAsync("/account/login"), "/account/login");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
        {
            var response = await attacker.PostAsync("/account/login", token,
                new Dictionary<string, string> { ["Email"] = $"guess{i}@example.test", ["Password"] = "password guess " + i });
            statuses.Add(response.StatusCode);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
                continue;
            var retryAfter = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")));
            Assert.InRange(retryAfter, 1, 60);
            SecurityHosts.AssertSecurityHeaders(response);
            Assert.Contains("Too many requests", await response.Content.ReadAsStringAsync());
        }
        // The production default: 10 attempts per minute per client.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 10), statuses.Take(10));
        Assert.All(statuses.Skip(10), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));

        var other = Client(2);
        var fine = await other.SubmitAsync("/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = "someone@example.test", ["Password"] = "a password guess" });
        HttpAssert.Status(HttpStatusCode.OK, fine);
        // Only the limited actions are limited: the attacker still reads pages.
        HttpAssert.Status(HttpStatusCode.OK, await attacker.Client.GetAsync("/"));
    }

    /// <summary>The limiter runs before antiforgery and authorization, so even refused posts count: an attacker
    /// cannot probe for free. After its permits a client's next post is answered 429.</summary>
    [Theory]
    [InlineData("/account/forgot-password", 5)]
    [InlineData("/account/set-password", 5)]
    [InlineData("/account/email/confirm", 5)]
    [InlineData("/my/data/email", 5)]
    [InlineData("/postings/00000000-0000-0000-0000-000000000001/apply", 10)]
    [InlineData("/my/data/access", 10)]
    [InlineData("/my/data/delete", 10)]
    [InlineData("/my/applications/00000000-0000-0000-0000-000000000001/restrict", 10)]
    [InlineData("/my/applications/00000000-0000-0000-0000-000000000001/object", 10)]
    [InlineData("/privacy/contact", 10)]
    public async Task Registration_password_reset_and_data_rights_posts_are_limited_per_client(string url, int permits)
    {
        var client = Client(3).Client;
        for (var i = 0; i < permits; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.PostAsync(url, new FormUrlEncodedContent([]))).StatusCode);
        var refused = await client.PostAsync(url, new FormUrlEncodedContent([]));
        HttpAssert.Status(HttpStatusCode.TooManyRequests, refused);
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await Client(4).Client.PostAsync(url, new FormUrlEncodedContent([]))).StatusCode);
    }
}
