using System.Security.Claims;
using Recruiting.Core.Identity;
using Recruiting.Core.Review;

namespace Recruiting.Web.Infrastructure;

public static class ClaimsPrincipalExtensions
{
    public static Guid? UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static Guid RequiredUserId(this ClaimsPrincipal user) =>
        user.UserId() ?? throw new InvalidOperationException("A signed-in user is required here.");

    /// <summary>The staff member this request acts for; HR wins when an account has both roles.</summary>
    public static StaffMember Staff(this ClaimsPrincipal user) =>
        new(user.RequiredUserId(), user.IsInRole(Roles.HR) ? Roles.HR : Roles.Recruiter);
}
