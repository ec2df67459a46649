using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Data;

namespace Recruiting.Web.Infrastructure;

/// <summary>
/// Ends a session at its next request once the account's security stamp has changed (password changed or reset,
/// erasure requested, role changed, deactivated, account deleted), instead of at Identity's next periodic check.
/// One primary-key read of the stamp per signed-in request; the periodic check (every minute) still refreshes roles.
/// Works across instances because the stamp is read from the shared database.
/// </summary>
public static class SessionCheck
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var principal = context.Principal;
        if (principal?.FindFirstValue(claims.UserIdClaimType) is { } id && Guid.TryParse(id, out var userId))
        {
            var stamp = principal.FindFirstValue(claims.SecurityStampClaimType);
            var db = services.GetRequiredService<RecruitingDbContext>();
            var current = await db.Users.Where(u => u.Id == userId).Select(u => new { u.SecurityStamp }).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
            if (current is null || current.SecurityStamp != stamp)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }
}
