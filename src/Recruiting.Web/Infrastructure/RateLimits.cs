using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Recruiting.Web.Infrastructure;

/// <summary>One limit: at most <see cref="PermitLimit"/> requests per client in a fixed window of <see cref="WindowSeconds"/>.</summary>
public sealed class RateLimit
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; }
}

/// <summary>The settings section <c>RateLimits</c>; the defaults are the production limits.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public RateLimit SignIn { get; set; } = new() { PermitLimit = 10, WindowSeconds = 60 };
    public RateLimit Registration { get; set; } = new() { PermitLimit = 10, WindowSeconds = 600 };
    public RateLimit PasswordReset { get; set; } = new() { PermitLimit = 5, WindowSeconds = 600 };
    public RateLimit DataRights { get; set; } = new() { PermitLimit = 10, WindowSeconds = 600 };
    public RateLimit EmailChange { get; set; } = new() { PermitLimit = 5, WindowSeconds = 600 };
}

/// <summary>
/// Rate limits on the actions worth automating against: guessing passwords (sign-in), making accounts and applications
/// (apply), mailing reset links (password reset), mailing links to a new address (email change), and filing data-rights requests and messages. Each client (remote
/// IP address) has its own window per limit. The counters live in this instance's memory: with N instances a client
/// gets up to N times the limit. Behind a proxy every client has the proxy's address unless ForwardedHeaders is set
/// up to read the client's from X-Forwarded-For (docs/security.md).
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Registration = "registration";
    public const string PasswordReset = "password-reset";
    public const string DataRights = "data-rights";
    public const string EmailChange = "email-change";

    public static IServiceCollection AddRecruitingRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            Add(limiter, SignIn, options.SignIn);
            Add(limiter, Registration, options.Registration);
            Add(limiter, PasswordReset, options.PasswordReset);
            Add(limiter, DataRights, options.DataRights);
            Add(limiter, EmailChange, options.EmailChange);
            // The body is left empty: the status-code pages render the plain "Too many requests" page.
            limiter.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter =
                        ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }

    private static void Add(Microsoft.AspNetCore.RateLimiting.RateLimiterOptions limiter, string name, RateLimit limit) =>
        limiter.AddPolicy(name, context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit.PermitLimit,
                Window = TimeSpan.FromSeconds(limit.WindowSeconds),
                QueueLimit = 0,
            }));
}
