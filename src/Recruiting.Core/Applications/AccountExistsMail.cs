using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Applications;

/// <summary>
/// A visitor applied with an address that already has an account: its owner is told how to sign in and apply, and
/// that nothing from the form was stored.
/// </summary>
public sealed class AccountExistsMail(RecruitingDbContext db, UserManager<AppUser> users, IPortalLinks links) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.AccountExists;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.Email is null) return null;
        var title = await db.JobPostings.Where(p => p.Id == notification.JobPostingId).Select(p => p.Title)
            .SingleOrDefaultAsync(cancellationToken);

        var body = new StringBuilder()
            .AppendLine($"Someone, perhaps you, tried to apply{(title is null ? "" : $" for \"{title}\"")} with this email address.")
            .AppendLine("This address already has an account with us, so nothing from that form was stored.")
            .AppendLine()
            .AppendLine("If it was you, sign in and apply again:")
            .AppendLine(title is null ? links.Login() : links.Apply(notification.JobPostingId!.Value))
            .AppendLine()
            .AppendLine($"Forgotten your password? Choose a new one here: {links.ForgotPassword()}")
            .AppendLine()
            .AppendLine("If it was not you, ignore this mail: nothing has changed in your account.")
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "You already have an account with us", body);
    }
}
