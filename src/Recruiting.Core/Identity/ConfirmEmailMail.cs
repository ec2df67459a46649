using System.Text;
using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Identity;

public sealed class ConfirmEmailMail(UserManager<AppUser> users, IPortalLinks links) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.ConfirmEmail;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.Email is null) return null;
        if (user.EmailConfirmed) return null;

        // The token is made here, not when the notification was created, so no secret ever sits in job storage.
        var code = MailText.LinkCode(await users.GenerateEmailConfirmationTokenAsync(user));
        var body = new StringBuilder()
            .AppendLine("Please confirm your email address for your Recruiting account by opening this link:")
            .AppendLine()
            .AppendLine(links.ConfirmEmail(user.Id, code))
            .AppendLine()
            .AppendLine("A new account can sign in once its address is confirmed, and you need a confirmed address to")
            .AppendLine("download, correct or delete your data.")
            .AppendLine()
            .AppendLine("If you did not apply or change your address with us, do not open the link and ignore this mail:")
            .AppendLine("someone may have typed your address by mistake.")
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "Confirm your email address", body);
    }
}
