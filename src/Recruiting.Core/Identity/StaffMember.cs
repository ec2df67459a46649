using Recruiting.Core.Identity;

namespace Recruiting.Core.Identity;

/// <summary>The signed-in staff user a request acts for. HR sees every posting; a recruiter only those assigned.</summary>
public sealed record StaffMember(Guid UserId, string Role)
{
    public bool IsHr => Role == Roles.HR;
}
