using Recruiting.Core.Notifications;

namespace Recruiting.Web.Infrastructure;

/// <summary>
/// Every cookie the portal sets (sign-in, antiforgery, TempData) is HttpOnly and SameSite. When the portal's public
/// address (<c>Portal:PublicUrl</c>) is https, they are also Secure and carry the <c>__Host-</c> prefix, which makes
/// browsers refuse them over plain http, from a sub-domain, or with another path. Decided by the setting, not by each
/// request's scheme, so a TLS-terminating proxy that forwards plain http still gets the strict cookies (browsers send
/// them, because they talk https to the proxy).
/// </summary>
public static class CookieRules
{
    public const string HostPrefix = "__Host-";

    public static bool IsHttps(PortalOptions portal) =>
        Uri.TryCreate(portal.PublicUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps;

    public static void Apply(CookieBuilder cookie, string name, PortalOptions portal)
    {
        cookie.HttpOnly = true;
        cookie.Path = "/";
        cookie.Domain = null;
        if (cookie.SameSite == SameSiteMode.Unspecified || cookie.SameSite == SameSiteMode.None)
            cookie.SameSite = SameSiteMode.Lax;
        if (IsHttps(portal))
        {
            cookie.Name = HostPrefix + name;
            cookie.SecurePolicy = CookieSecurePolicy.Always;
        }
        else
        {
            cookie.Name = name;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }
    }
}
