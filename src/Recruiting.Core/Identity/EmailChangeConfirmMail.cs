using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Identity;

/// <summary>
/// To the address the account asked to move to, read now (a newer request replaces an older one). Its link carries
/// ids and a token made now, never the address. When that address has an account of its own by now, its owner is
/// told so instead: the form that asked answered alike either way, and this mail goes only to that address.
/// </summary>
public sealed class EmailChangeConfirmMail(
    UserManager<AppUser> users,
    IPortalLinks links,
    IOptions<DataProtectionTokenProviderOptions> tokenLifetime,
    TimeProvider time) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.EmailChangeConfirm;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.PendingEmailAt(time.GetUtcNow(), tokenLifetime.Value.TokenLifespan) is not { } newEmail) return null;

        if (await users.FindByEmailAsync(newEmail) is { } owner && owner.Id != user.Id)
        {
            var taken = new StringBuilder()
                .AppendLine("Someone, perhaps you, asked to move another Recruiting account to this email address.")
                .AppendLine("This address already has an account with us, so nothing has changed, and no account will move here.")
                .AppendLine()
                .AppendLine($"If it was you, sign in with this address instead: {links.Login()}")
                .AppendLine($"Forgotten its password? Choose a new one here: {links.ForgotPassword()}")
                .AppendLine()
                .AppendLine("If it was not you, ignore this mail.")
                .ToString();
            return new OutgoingMail(notification.Id, newEmail, "This address already has an account with us", taken);
        }

        // Identity's change-email token names the address and the security stamp: it works for this address only,
        // and no longer once the password is reset.
        var code = MailText.LinkCode(await users.GenerateChangeEmailTokenAsync(user, newEmail));
        var body = new StringBuilder()
            .AppendLine("You asked to use this email address for your Recruiting account. To confirm it, open this link")
            .AppendLine("and press the button on its page:")
            .AppendLine()
            .AppendLine(links.ConfirmEmailChange(user.Id, code))
            .AppendLine()
            .AppendLine($"The link works for {Lifetime()}. Until you confirm, your account keeps its current address.")
            .AppendLine("Once you confirm, this address is your sign-in name, and you are signed out everywhere else.")
            .AppendLine()
            .AppendLine("If you did not ask for this, ignore this mail: nothing changes.")
            .ToString();
        return new OutgoingMail(notification.Id, newEmail, "Confirm your new email address", body);
    }

    private string Lifetime()
    {
        var lifespan = tokenLifetime.Value.TokenLifespan;
        return lifespan.TotalHours >= 24 && lifespan.TotalHours % 24 == 0
            ? (lifespan.TotalDays == 1 ? "one day" : $"{lifespan.TotalDays:0} days")
            : $"{lifespan.TotalHours:0.#} hours";
    }
}
