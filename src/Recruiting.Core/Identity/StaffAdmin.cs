using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;
using Recruiting.Core.Results;

namespace Recruiting.Core.Identity;

public sealed record UserRow(Guid Id, string Email, string Role, bool IsActive, bool HasPassword, DateTimeOffset? LastSignInAt);

/// <summary>HR's user administration: invite recruiters, change roles, deactivate.</summary>
public sealed class StaffAdmin(
    RecruitingDbContext db,
    UserManager<AppUser> users,
    IEnumerable<IStaffRoleHandler> roleHandlers,
    TimeProvider time)
{
    public async Task<IReadOnlyList<UserRow>> UsersAsync(string? roleFilter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var query =
            from user in db.Users
            join userRole in db.UserRoles on user.Id equals userRole.UserId
            join role in db.Roles on userRole.RoleId equals role.Id
            where roleFilter == null || role.Name == roleFilter
            orderby role.Name, user.Email
            select new { user.Id, user.Email, Role = role.Name, user.LockoutEnd, HasPassword = user.PasswordHash != null, user.LastSignInAt };
        var rows = await query.Take(500).ToListAsync(cancellationToken);
        return rows.Select(r => new UserRow(r.Id, r.Email ?? "", r.Role ?? "", r.LockoutEnd is null || r.LockoutEnd <= now, r.HasPassword, r.LastSignInAt)).ToList();
    }

    /// <summary>Creates a staff account without a password and mails an invitation link to choose one.</summary>
    public async Task<DeskResult> InviteAsync(string email, string role, CancellationToken cancellationToken)
    {
        if (role is not (Roles.Recruiter or Roles.HR))
            return DeskResult.Refused("Invite staff as Recruiter or HR.");
        if (await users.FindByEmailAsync(email) is not null)
            return DeskResult.Refused("There is already an account with this email address.");

        var now = time.GetUtcNow();
        var user = new AppUser { UserName = email, Email = email, CreatedAt = now };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
            return DeskResult.Refused(string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        db.Notifications.Add(Notification.StaffInvitation(user.Id, now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DeskResult.Done();
    }

    /// <summary>Moves a staff account between Recruiter and HR. Jobseeker accounts hold an applicant's data and never become staff.</summary>
    public async Task<DeskResult> ChangeRoleAsync(Guid actingUserId, Guid userId, string role)
    {
        if (role is not (Roles.Recruiter or Roles.HR))
            return DeskResult.Refused("Staff roles are Recruiter and HR.");
        if (userId == actingUserId)
            return DeskResult.Refused("You cannot change your own role.");
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
            return DeskResult.Done();
        var current = await users.GetRolesAsync(user);
        if (current.Contains(Roles.Jobseeker))
            return DeskResult.Refused("A jobseeker account cannot become a staff account. Invite the person with a work email instead.");
        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        foreach (var handler in roleHandlers)
            await handler.RoleChangedAsync(userId, role, CancellationToken.None);
        await users.UpdateSecurityStampAsync(user); // the new role takes effect at once: existing sessions are ended
        return DeskResult.Done();
    }

    public async Task<DeskResult> SetActiveAsync(Guid actingUserId, Guid userId, bool active)
    {
        if (userId == actingUserId)
            return DeskResult.Refused("You cannot deactivate your own account.");
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
            return DeskResult.Done();
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, active ? null : DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(user); // ends the sessions of a deactivated user
        return DeskResult.Done();
    }
}
