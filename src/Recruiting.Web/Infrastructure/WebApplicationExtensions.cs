using Hangfire;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.Web.Infrastructure;

public static class WebApplicationExtensions
{
    public static async Task PrepareAsync(this WebApplication app) => await DatabaseStartup.PrepareAsync(app.Services);

    public static WebApplication UseRecruitingPipeline(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
            app.UseDeveloperExceptionPage();
        else
            app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        // The portal speaks English; dates and numbers follow it whatever the server's locale is.
        app.UseRequestLocalization(new RequestLocalizationOptions().SetDefaultCulture("en-GB").AddSupportedCultures("en-GB").AddSupportedUICultures("en-GB"));
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapControllers();
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.HrOnly, "/hangfire",
            new DashboardOptions { DisplayStorageConnectionString = false, AppPath = "/" });
        return app;
    }
}
