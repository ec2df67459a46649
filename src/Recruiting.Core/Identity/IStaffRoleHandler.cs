namespace Recruiting.Core.Identity;

/// <summary>
/// What a feature built on accounts does when a staff member's role changes (a recruiter who becomes HR keeps no posting
/// assignments). Identity declares it so that it stays below the features that hold staff-specific rows.
/// </summary>
public interface IStaffRoleHandler
{
    Task RoleChangedAsync(Guid userId, string role, CancellationToken cancellationToken);
}
