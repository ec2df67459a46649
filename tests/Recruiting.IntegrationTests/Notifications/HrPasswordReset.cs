using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Notifications;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Notifications;

/// <summary>A mail owed through the portal's own form: "forgot password" for the seeded HR account.</summary>
internal static class HrPasswordReset
{
    /// <summary>Asks for it and waits for the mail; its notification's id and its .eml file.</summary>
    public static async Task<(Guid NotificationId, string MailFile)> RequestAsync(PortalFactory portal)
    {
        var browser = new PortalBrowser(portal.CreateBrowserClient());
        await browser.SubmitAsync("/account/forgot-password", "/account/forgot-password",
            new Dictionary<string, string> { ["Email"] = PortalFactory.HrEmail });
        var owed = await portal.WithDbAsync(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.PasswordReset));
        var file = Path.Combine(portal.MailFolder, $"{owed.Id:N}.eml");
        await Wait.UntilAsync(() => File.Exists(file), "the reset mail");
        return (owed.Id, file);
    }
}
