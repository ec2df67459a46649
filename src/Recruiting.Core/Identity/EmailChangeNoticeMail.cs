using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Identity;

/// <summary>
/// To the account's current address, so its owner hears of a change they may not have made. The new address is
/// shown masked: enough to recognise one's own, while this mailbox may be the one that is no longer theirs.
/// </summary>
public sealed class EmailChangeNoticeMail(
    UserManager<AppUser> users,
    IPortalLinks links,
    IOptions<DataProtectionTokenProviderOptions> tokenLifetime,
    TimeProvider time) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.EmailChangeNotice;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.Email is null) return null;
        var newEmail = user.PendingEmailAt(time.GetUtcNow(), tokenLifetime.Value.TokenLifespan);
        if (newEmail is null) return null; // confirmed, replaced or expired already: nothing left to warn about

        var body = new StringBuilder()
            .AppendLine($"Someone signed in to your Recruiting account asked to change its email address to {MaskEmail(newEmail)}.")
            .AppendLine("Nothing changes until the link we sent to that address is opened and confirmed.")
            .AppendLine()
            .AppendLine("If it was you, there is nothing to do here.")
            .AppendLine("If it was not you, change your password now; choosing a new one here also cancels the change and")
            .AppendLine($"signs out everyone using your account: {links.ForgotPassword()}")
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "A change of your email address was requested", body);
    }

    /// <summary>"a***@example.org": the first character of the local part and the domain; the stars do not tell its length.</summary>
    public static string MaskEmail(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : email[0] + "***" + email[at..];
    }
}
