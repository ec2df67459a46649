using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.Web.Infrastructure;

public static class WebApplicationExtensions
{
    /// <summary>The <c>migrate</c> command: brings the database schema up to date, then exits.</summary>
    public static async Task<int> MigrateAsync(this WebApplication app)
    {
        await DatabaseSchema.MigrateAsync(app.Services);
        app.Logger.LogInformation("The database schema is up to date");
        return 0;
    }

    /// <summary>False, with the reason logged, when this instance must not start (an unsafe setting, or its database
    /// schema is behind).</summary>
    public static async Task<bool> PrepareAsync(this WebApplication app)
    {
        var refusal = await SafeDefaults.CheckAtStartAsync(app.Services, app.Configuration, app.Environment, app.Logger)
                      ?? await DatabaseStartup.PrepareAsync(app.Services);
        if (refusal is null)
            return true;
        app.Logger.LogCritical("{Refusal}", refusal);
        return false;
    }

    public static WebApplication UseRecruitingPipeline(this WebApplication app)
    {
        app.StopWatchingWebRootUnlessReloading();
        // Before anything reads the client's address or the scheme (rate limits, HSTS, cookies).
        app.UseForwardedHeaders();
        // First after that, so that every response carries the headers: static files, errors, status pages, /health, /hangfire.
        app.UseSecurityHeaders();
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        else
        {
            app.UseHsts(); // on https requests only; one year, sub-domains included (AddRecruitingWeb)
            app.UseExceptionHandler("/error");
        }
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        // The portal speaks English; dates and numbers follow it whatever the server's locale is.
        app.UseRequestLocalization(new RequestLocalizationOptions().SetDefaultCulture("en-GB").AddSupportedCultures("en-GB").AddSupportedUICultures("en-GB"));
        app.UseStaticFiles();
        app.UseRouting();
        // After routing, which tells the upload actions (allowed large bodies) from the rest.
        app.UseRequestBodyLimits();
        // After routing (it reads the action's [EnableRateLimiting]), before authentication: a refused request
        // costs no database read.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapControllers();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.HrOnly, "/hangfire",
            new DashboardOptions { DisplayStorageConnectionString = false, AppPath = "/" });
        return app;
    }

    /// <summary>For a load balancer: the overall status and each check's status, and nothing else (no exception
    /// messages, which can name hosts, and no timings).</summary>
    private static Task WriteHealthAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        });
}
