using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Uploads;

namespace Recruiting.Web.Infrastructure;

public static class WebServiceCollectionExtensions
{
    /// <summary>MVC, Identity with its cookie, authorization policies, mapping and request-size limits.</summary>
    public static IServiceCollection AddRecruitingWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRecruitingForwardedHeaders(configuration);
        services.AddRecruitingRateLimits(configuration);
        services.AddControllersWithViews(mvc => mvc.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()))
            // The portal ships no client-side validation script; off, the validation summary also stops writing its
            // hidden <li style="display:none">, an inline style the Content-Security-Policy refuses.
            .AddViewOptions(views => views.HtmlHelperOptions.ClientValidationEnabled = false);
        services.AddAutoMapper(cfg => cfg.AddProfile<MappingProfile>());
        services.AddAuthorization(Policies.Add);
        services.AddSingleton<IPortalLinks, PortalLinks>();

        services.AddIdentity<AppUser, IdentityRole<Guid>>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.Password.RequiredLength = PasswordRules.MinLength;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireDigit = false;
                identity.Lockout.MaxFailedAccessAttempts = 5; // then a lockout that grows: AppUserManager
                identity.Lockout.AllowedForNewUsers = true;
                identity.SignIn.RequireConfirmedAccount = true; // as AccountActivation defines it
            })
            .AddEntityFrameworkStores<RecruitingDbContext>()
            .AddUserManager<AppUserManager>()
            .AddSignInManager<AppSignInManager>()
            .AddUserConfirmation<AccountActivation>()
            .AddPasswordValidator<PasswordRules>()
            .AddDefaultTokenProviders();
        services.AddScoped<PasswordResets>();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/login";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax; // mailed links (a GET from another site) arrive signed in
            cookie.Events.OnSigningIn = SessionCheck.StampSignInTimeAsync;
            cookie.Events.OnValidatePrincipal = SessionCheck.ValidateAsync;
            // A signed-in user without the role gets a plain 403 page, not a redirect that hides the refusal.
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.Configure<SessionLifetimeOptions>(configuration.GetSection(SessionLifetimeOptions.Section));
        // A changed security stamp ends sessions at once (SessionCheck); this periodic check refreshes roles.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.SameSite = SameSiteMode.Strict);
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<PortalOptions>>((cookie, portal) =>
                CookieRules.Apply(cookie.Cookie, "recruiting.auth", portal.Value));
        services.AddOptions<AntiforgeryOptions>().Configure<IOptions<PortalOptions>>((antiforgery, portal) =>
            CookieRules.Apply(antiforgery.Cookie, "recruiting.antiforgery", portal.Value));
        services.AddOptions<CookieTempDataProviderOptions>().Configure<IOptions<PortalOptions>>((tempData, portal) =>
            CookieRules.Apply(tempData.Cookie, "recruiting.tempdata", portal.Value));
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;
            // UseHsts runs outside Development only, so a host named localhost there is a real deployment's test.
            hsts.ExcludedHosts.Clear();
        });

        // A file somewhat over the per-file limit is still read, so the form can say which file is too large;
        // one far over it, or a request too large as a whole, gets the friendly "too large" page instead.
        services.AddOptions<FormOptions>().Configure<IOptions<UploadOptions>>((form, uploads) =>
            form.MultipartBodyLengthLimit = UploadLimitsAttribute.ReadableFileBytes(uploads.Value));
        // The server's own limit is the small one; RequestBodyLimits raises it for the upload actions.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBodyLimits.OtherRequestBytes);
        return services;
    }
}
