using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Identity;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Web.Infrastructure;

namespace Recruiting.IntegrationTests.Security;

/// <summary>Test-only pieces for the security tests.</summary>
public static class SecurityHosts
{
    public const string ClientHeader = "X-Test-Client";
    public const string ThrowHeader = "X-Test-Throw";

    /// <summary>Every TestServer request comes from no address; this gives each test client one of its own
    /// (10.0.0.N from the header), as distinct machines would have, before the app's pipeline sees it.</summary>
    public static void ClientAddresses(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter, ClientAddressFilter>();

    public static HttpClient WithClientAddress(this HttpClient client, int n)
    {
        client.DefaultRequestHeaders.Add(ClientHeader, n.ToString());
        return client;
    }

    /// <summary>An action filter that fails any action (but the error page) of a request carrying the header.</summary>
    public static void FailOnRequest(IServiceCollection services) =>
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(mvc => mvc.Filters.Add(new ThrowingFilter()));

    public static HttpClient HttpsClient(this PortalFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
        });

    public static IReadOnlyList<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

    public static void AssertSecurityHeaders(HttpResponseMessage response, string? csp = null)
    {
        var what = $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}";
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var policy), "No CSP on " + what);
        Assert.Equal(csp ?? SecurityHeaders.ContentSecurityPolicy, Assert.Single(policy));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var permissions = Assert.Single(response.Headers.GetValues("Permissions-Policy"));
        foreach (var feature in new[] { "camera=()", "microphone=()", "geolocation=()", "payment=()" })
            Assert.Contains(feature, permissions);
    }

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(ClientHeader, out var n))
                    context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0." + n);
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    public sealed class ThrowingFilter : IActionFilter
    {
        public const string Message = "Deliberate failure 7f3a-secret-detail";

        public void OnActionExecuting(ActionExecutingContext context)
        {
            if (context.HttpContext.Request.Headers.ContainsKey(ThrowHeader) && context.HttpContext.Request.Path != "/error")
                throw new InvalidOperationException(Message);
        }

        public void OnActionExecuted(ActionExecutedContext context) { }
    }
}

/// <summary>Counts password-hash verifications, to prove that refusals for unknown or locked accounts hash too.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<AppUser>
{
    private readonly PasswordHasher<AppUser> _inner = new();
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
