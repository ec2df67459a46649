using System.Globalization;
using System.Text;
using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;

namespace Recruiting.Core.Notifications;

/// <summary>Sends one <see cref="Notification"/>. Takes only its id; reads recipient and text at send time.</summary>
public sealed class NotificationJob(
    RecruitingDbContext db,
    IMailSender sender,
    UserManager<AppUser> users,
    IOptions<PortalOptions> portal,
    TimeProvider time,
    ILogger<NotificationJob> logger)
{
    [AutomaticRetry(Attempts = 10)]
    public async Task SendAsync(Guid notificationId, CancellationToken cancellationToken)
    {
        var notification = await db.Notifications.FindAsync([notificationId], cancellationToken);
        if (notification is null || notification.IsSent)
            return; // already sent, or its subject was erased: nothing is owed

        var mail = notification.Kind switch
        {
            NotificationKind.ApplicationReceived => await ApplicationReceivedAsync(notification, cancellationToken),
            NotificationKind.ConfirmEmail => await ConfirmEmailAsync(notification),
            NotificationKind.ApplicationRejected => await ApplicationRejectedAsync(notification, cancellationToken),
            NotificationKind.StaffInvitation => await StaffInvitationAsync(notification),
            NotificationKind.ExportReady => await ExportReadyAsync(notification, cancellationToken),
            NotificationKind.RequestExtended => await RequestExtendedAsync(notification, cancellationToken),
            NotificationKind.RequestAnswered => await RequestAnsweredAsync(notification, cancellationToken),
            NotificationKind.RestrictionLifting => await RestrictionLiftingAsync(notification, cancellationToken),
            NotificationKind.NewOpening => await NewOpeningAsync(notification, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown notification kind {notification.Kind}."),
        };

        notification.RecordAttempt();
        if (mail is not null)
            await sender.SendAsync(mail, cancellationToken);
        else
            logger.LogInformation("Notification {NotificationId} has no recipient any more; marked done", notification.Id);
        notification.MarkSent(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<OutgoingMail?> ApplicationReceivedAsync(Notification notification, CancellationToken cancellationToken)
    {
        var application = await ApplicationFactsAsync(notification, cancellationToken);
        if (application is null) return null;

        var body = new StringBuilder()
            .AppendLine($"Dear {application.FullName},")
            .AppendLine()
            .AppendLine($"Thank you for applying for \"{application.PostingTitle}\". We have received your application and will review it.")
            .AppendLine()
            .AppendLine($"You can follow its status under My applications: {Link("/my/applications")}")
            .AppendLine()
            .AppendLine($"How we handle your data is explained in our privacy notice: {Link("/privacy")}")
            .ToString();
        return new OutgoingMail(notification.Id, application.Email, "We have received your application", body);
    }

    private async Task<OutgoingMail?> ApplicationRejectedAsync(Notification notification, CancellationToken cancellationToken)
    {
        var application = await ApplicationFactsAsync(notification, cancellationToken);
        if (application is null) return null;

        var body = new StringBuilder()
            .AppendLine($"Dear {application.FullName},")
            .AppendLine()
            .AppendLine($"Thank you for your interest in \"{application.PostingTitle}\". After careful consideration we have decided not to take your application further.")
            .AppendLine()
            .AppendLine($"Your data for this application is kept as our privacy notice describes, then deleted: {Link("/privacy")}")
            .AppendLine($"You can see it, download it or delete it earlier under My applications: {Link("/my/applications")}")
            .ToString();
        return new OutgoingMail(notification.Id, application.Email, "About your application", body);
    }

    private async Task<OutgoingMail?> StaffInvitationAsync(Notification notification)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.Email is null) return null;

        // A password-reset token doubles as the invitation: it is single-use and made only now, at send time.
        var code = LinkCode(await users.GeneratePasswordResetTokenAsync(user));
        var body = new StringBuilder()
            .AppendLine("You have been invited to the Recruiting portal as staff.")
            .AppendLine()
            .AppendLine("Choose your password here to activate your account:")
            .AppendLine(Link($"/account/set-password?userId={user.Id}&code={code}"))
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "Your invitation to the Recruiting portal", body);
    }

    private async Task<OutgoingMail?> ConfirmEmailAsync(Notification notification)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.Email is null) return null;
        if (user.EmailConfirmed) return null;

        // The token is made here, not when the notification was created, so no secret ever sits in job storage.
        var code = LinkCode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = Link($"/account/confirm-email?userId={user.Id}&code={code}");
        var body = new StringBuilder()
            .AppendLine("Please confirm your email address for your Recruiting account by opening this link:")
            .AppendLine()
            .AppendLine(link)
            .AppendLine()
            .AppendLine("You need a confirmed address to download, correct or delete your data.")
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "Confirm your email address", body);
    }

    /// <summary>The access request's ZIP is ready. The mail says where and until when; the data itself stays behind sign-in.</summary>
    private async Task<OutgoingMail?> ExportReadyAsync(Notification notification, CancellationToken cancellationToken)
    {
        var export = await db.Requests
            .Where(r => r.Id == notification.RequestId && r.ExportBlobName != null)
            .Join(db.Applicants, r => r.ApplicantId, a => a.Id, (r, a) => new { a.FullName, a.Email, r.ExportExpiresAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (export?.ExportExpiresAt is not { } expiresAt) return null; // expired or erased before the mail went out

        var body = new StringBuilder()
            .AppendLine($"Dear {export.FullName},")
            .AppendLine()
            .AppendLine("The copy of your data you asked for is ready. Download it from My data:")
            .AppendLine(Link("/my/data"))
            .AppendLine()
            .AppendLine("You need to sign in to download it; the link in this mail does not open it by itself.")
            .AppendLine($"It will be deleted on {expiresAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}; "
                        + "you can ask for a new copy at any time.")
            .ToString();
        return new OutgoingMail(notification.Id, export.Email, "Your data is ready to download", body);
    }

    private Task<OutgoingMail?> RequestExtendedAsync(Notification notification, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    private Task<OutgoingMail?> RequestAnsweredAsync(Notification notification, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    private Task<OutgoingMail?> RestrictionLiftingAsync(Notification notification, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    private Task<OutgoingMail?> NewOpeningAsync(Notification notification, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    private sealed record ApplicationFacts(string FullName, string Email, string PostingTitle);

    private Task<ApplicationFacts?> ApplicationFactsAsync(Notification notification, CancellationToken cancellationToken) =>
        db.Applications
            .Where(a => a.Id == notification.ApplicationId)
            .Select(a => new ApplicationFacts(a.Applicant.FullName, a.Applicant.Email, a.JobPosting.Title))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Identity tokens travel in links base64url-encoded.</summary>
    private static string LinkCode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    private string Link(string path) => portal.Value.PublicUrl.TrimEnd('/') + path;
}
