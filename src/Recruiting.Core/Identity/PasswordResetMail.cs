using System.Text;
using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Identity;

public sealed class PasswordResetMail(UserManager<AppUser> users, IPortalLinks links) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.PasswordReset;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.Email is null) return null;

        // Made at send time, like the invitation's; single-use, because resetting changes the security stamp.
        var code = MailText.LinkCode(await users.GeneratePasswordResetTokenAsync(user));
        var body = new StringBuilder()
            .AppendLine("Someone, perhaps you, asked to reset the password of your Recruiting account.")
            .AppendLine()
            .AppendLine("Choose a new password here:")
            .AppendLine(links.SetPassword(user.Id, code))
            .AppendLine()
            .AppendLine("If it was not you, ignore this mail: your password stays as it is.")
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "Reset your password", body);
    }
}
