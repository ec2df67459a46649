using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;

namespace Recruiting.Web.Infrastructure;

/// <summary>Settings section <c>Sessions</c>: the longest a sign-in lasts, however active the session is.</summary>
public sealed class SessionLifetimeOptions
{
    public const string Section = "Sessions";

    /// <summary>HR and recruiters: one working day. They see many applicants' data, so a cookie left behind or stolen
    /// is worth the most.</summary>
    public double StaffLifetimeHours { get; set; } = 8;

    /// <summary>Jobseekers: one day.</summary>
    public double JobseekerLifetimeHours { get; set; } = 24;
}

/// <summary>
/// Ends a session at its next request once the account's security stamp has changed (password changed or reset,
/// signed out, erasure requested, role changed, deactivated, account deleted), instead of at Identity's next periodic
/// check; and once it has lasted longer than <see cref="SessionLifetimeOptions"/> allows since the password was given.
/// One primary-key read of the stamp per signed-in request; the periodic check (every minute) still refreshes roles.
/// Works across instances because the stamp is read from the shared database.
/// </summary>
public static class SessionCheck
{
    /// <summary>Kept in the cookie's properties: sliding renewal and Identity's refreshes carry them over unchanged,
    /// while the cookie's own issue time moves with every renewal.</summary>
    private const string SignedInAtItem = "recruiting.signed-in-at";

    /// <summary>On a new sign-in (not a refresh of an existing one, which keeps its properties): notes when.</summary>
    public static Task StampSignInTimeAsync(CookieSigningInContext context)
    {
        if (!context.Properties.Items.ContainsKey(SignedInAtItem))
            context.Properties.Items[SignedInAtItem] = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>()
                .GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }

    // Compiled once: this runs on every signed-in request, where translating the LINQ each time cost more than the read.
    private static readonly Func<RecruitingDbContext, Guid, CancellationToken, Task<string?>> CurrentStamp =
        EF.CompileAsyncQuery((RecruitingDbContext db, Guid userId, CancellationToken _) =>
            db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleOrDefault());

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var principal = context.Principal;
        if (principal?.FindFirstValue(claims.UserIdClaimType) is { } id && Guid.TryParse(id, out var userId))
        {
            var stamp = principal.FindFirstValue(claims.SecurityStampClaimType);
            var db = services.GetRequiredService<RecruitingDbContext>();
            var current = await CurrentStamp(db, userId, context.HttpContext.RequestAborted);
            if (current is null || current != stamp || HasOutlived(context, principal))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    /// <summary>True past the absolute lifetime, and for a cookie that does not say when it was signed in.</summary>
    private static bool HasOutlived(CookieValidatePrincipalContext context, ClaimsPrincipal principal)
    {
        if (!context.Properties.Items.TryGetValue(SignedInAtItem, out var value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedInAt))
            return true;
        var services = context.HttpContext.RequestServices;
        var sessions = services.GetRequiredService<IOptions<SessionLifetimeOptions>>().Value;
        var hours = principal.IsInRole(Roles.HR) || principal.IsInRole(Roles.Recruiter)
            ? sessions.StaffLifetimeHours
            : sessions.JobseekerLifetimeHours;
        return services.GetRequiredService<TimeProvider>().GetUtcNow() - signedInAt >= TimeSpan.FromHours(hours);
    }
}
