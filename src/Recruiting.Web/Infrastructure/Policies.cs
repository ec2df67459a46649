using Recruiting.Core.Identity;

namespace Recruiting.Web.Infrastructure;

public static class Policies
{
    public const string Staff = nameof(Staff);
    public const string HrOnly = nameof(HrOnly);

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Staff, p => p.RequireRole(Roles.HR, Roles.Recruiter));
        options.AddPolicy(HrOnly, p => p.RequireRole(Roles.HR));
    }
}
