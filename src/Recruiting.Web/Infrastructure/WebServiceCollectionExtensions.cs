using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Uploads;

namespace Recruiting.Web.Infrastructure;

public static class WebServiceCollectionExtensions
{
    /// <summary>MVC, Identity with its cookie, authorization policies, mapping and request-size limits.</summary>
    public static IServiceCollection AddRecruitingWeb(this IServiceCollection services, IConfiguration configuration,
        IWebHostBuilder webHost)
    {
        services.AddControllersWithViews(mvc => mvc.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()));
        services.AddAutoMapper(cfg => cfg.AddProfile<MappingProfile>());
        services.AddAuthorization(Policies.Add);

        services.AddIdentity<AppUser, IdentityRole<Guid>>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.Password.RequiredLength = 12;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireDigit = false;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<RecruitingDbContext>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/login";
            cookie.Cookie.Name = "recruiting.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // A signed-in user without the role gets a plain 403 page, not a redirect that hides the refusal.
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.Name = "recruiting.antiforgery");

        // A CV plus three further documents at the per-file limit, and room for the text fields.
        var uploads = configuration.GetSection(UploadOptions.Section).Get<UploadOptions>() ?? new UploadOptions();
        var maxRequestBytes = uploads.MaxFileBytes * (1 + Core.Applications.JobApplication.MaxFurtherDocuments) + 1024 * 1024;
        services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = maxRequestBytes);
        webHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxRequestBytes + 64 * 1024);
        return services;
    }
}
