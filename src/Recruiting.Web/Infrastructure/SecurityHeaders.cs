namespace Recruiting.Web.Infrastructure;

/// <summary>
/// The security headers every response carries: pages, static files, redirects, error and status pages, /health and
/// /hangfire. Set when the response starts, so a response written by any later middleware (or an error handler
/// after a failure) has them too.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>No inline script or style anywhere in the portal: views use site.css classes and wwwroot/js files.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The Hangfire dashboard (HR only) writes inline <c>style</c> attributes of its own (the state cards and labels on
    /// a job's page colour themselves that way), which a library's pages cannot be changed to avoid. So under /hangfire
    /// alone styles may be inline; its scripts are files, so script-src stays 'self', and the rest is as strict.
    /// </summary>
    public const string HangfireContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), " +
        "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), " +
        "screen-wake-lock=(), sync-xhr=(), usb=(), xr-spatial-tracking=()";

    public const string HangfirePath = "/hangfire";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Decided now: the dashboard moves "/hangfire" from Path to PathBase while it writes its response.
            var policy = context.Request.Path.StartsWithSegments(HangfirePath) ? HangfireContentSecurityPolicy : ContentSecurityPolicy;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                // For browsers without frame-ancestors support.
                headers.XFrameOptions = "DENY";
                return Task.CompletedTask;
            });
            return next(context);
        });
}
