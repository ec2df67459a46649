using System.Text;
using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Identity;

public sealed class StaffInvitationMail(UserManager<AppUser> users, IPortalLinks links) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.StaffInvitation;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.Email is null) return null;

        // A password-reset token doubles as the invitation: it is single-use and made only now, at send time.
        var code = MailText.LinkCode(await users.GeneratePasswordResetTokenAsync(user));
        var body = new StringBuilder()
            .AppendLine("You have been invited to the Recruiting portal as staff.")
            .AppendLine()
            .AppendLine("Choose your password here to activate your account:")
            .AppendLine(links.SetPassword(user.Id, code))
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "Your invitation to the Recruiting portal", body);
    }
}
