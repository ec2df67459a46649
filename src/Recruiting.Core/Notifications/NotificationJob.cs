using System.Globalization;
using System.Text;
using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recruiting.Core.Audit;
using Recruiting.Core.Consent;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Postings;
using Recruiting.Core.Rights;

namespace Recruiting.Core.Notifications;

/// <summary>Sends one <see cref="Notification"/>. Takes only its id; reads recipient and text at send time.</summary>
public sealed class NotificationJob(
    RecruitingDbContext db,
    IMailSender sender,
    UserManager<AppUser> users,
    IOptions<PortalOptions> portal,
    OptOutLinks optOut,
    ConsentRenewalLinks renewal,
    IOptions<DataProtectionTokenProviderOptions> tokenLifetime,
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
            NotificationKind.DeletionWarning => await DeletionWarningAsync(notification, cancellationToken),
            NotificationKind.RetentionCapReached => await RetentionCapReachedAsync(notification, cancellationToken),
            NotificationKind.PasswordReset => await PasswordResetAsync(notification),
            NotificationKind.AccountExists => await AccountExistsAsync(notification, cancellationToken),
            NotificationKind.EmailChangeConfirm => await EmailChangeConfirmAsync(notification),
            NotificationKind.EmailChangeNotice => await EmailChangeNoticeAsync(notification),
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

    private async Task<OutgoingMail?> PasswordResetAsync(Notification notification)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.Email is null) return null;

        // Made at send time, like the invitation's; single-use, because resetting changes the security stamp.
        var code = LinkCode(await users.GeneratePasswordResetTokenAsync(user));
        var body = new StringBuilder()
            .AppendLine("Someone, perhaps you, asked to reset the password of your Recruiting account.")
            .AppendLine()
            .AppendLine("Choose a new password here:")
            .AppendLine(Link($"/account/set-password?userId={user.Id}&code={code}"))
            .AppendLine()
            .AppendLine("If it was not you, ignore this mail: your password stays as it is.")
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "Reset your password", body);
    }

    private async Task<OutgoingMail?> AccountExistsAsync(Notification notification, CancellationToken cancellationToken)
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
            .AppendLine(Link(title is null ? "/account/login" : $"/postings/{notification.JobPostingId}/apply"))
            .AppendLine()
            .AppendLine($"Forgotten your password? Choose a new one here: {Link("/account/forgot-password")}")
            .AppendLine()
            .AppendLine("If it was not you, ignore this mail: nothing has changed in your account.")
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "You already have an account with us", body);
    }

    /// <summary>
    /// To the address the account asked to move to, read now (a newer request replaces an older one). Its link carries
    /// ids and a token made now, never the address. When that address has an account of its own by now, its owner is
    /// told so instead: the form that asked answered alike either way, and this mail goes only to that address.
    /// </summary>
    private async Task<OutgoingMail?> EmailChangeConfirmAsync(Notification notification)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.PendingEmailAt(time.GetUtcNow(), tokenLifetime.Value.TokenLifespan) is not { } newEmail) return null;

        if (await users.FindByEmailAsync(newEmail) is { } owner && owner.Id != user.Id)
        {
            var taken = new StringBuilder()
                .AppendLine("Someone, perhaps you, asked to move another Recruiting account to this email address.")
                .AppendLine("This address already has an account with us, so nothing has changed, and no account will move here.")
                .AppendLine()
                .AppendLine($"If it was you, sign in with this address instead: {Link("/account/login")}")
                .AppendLine($"Forgotten its password? Choose a new one here: {Link("/account/forgot-password")}")
                .AppendLine()
                .AppendLine("If it was not you, ignore this mail.")
                .ToString();
            return new OutgoingMail(notification.Id, newEmail, "This address already has an account with us", taken);
        }

        // Identity's change-email token names the address and the security stamp: it works for this address only,
        // and no longer once the password is reset.
        var code = LinkCode(await users.GenerateChangeEmailTokenAsync(user, newEmail));
        var body = new StringBuilder()
            .AppendLine("You asked to use this email address for your Recruiting account. To confirm it, open this link")
            .AppendLine("and press the button on its page:")
            .AppendLine()
            .AppendLine(Link($"/account/email/confirm?userId={user.Id}&code={code}"))
            .AppendLine()
            .AppendLine($"The link works for {Lifetime()}. Until you confirm, your account keeps its current address.")
            .AppendLine("Once you confirm, this address is your sign-in name, and you are signed out everywhere else.")
            .AppendLine()
            .AppendLine("If you did not ask for this, ignore this mail: nothing changes.")
            .ToString();
        return new OutgoingMail(notification.Id, newEmail, "Confirm your new email address", body);
    }

    /// <summary>
    /// To the account's current address, so its owner hears of a change they may not have made. The new address is
    /// shown masked: enough to recognise one's own, while this mailbox may be the one that is no longer theirs.
    /// </summary>
    private async Task<OutgoingMail?> EmailChangeNoticeAsync(Notification notification)
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
            .AppendLine($"signs out everyone using your account: {Link("/account/forgot-password")}")
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "A change of your email address was requested", body);
    }

    /// <summary>"a***@example.org": the first character of the local part and the domain; the stars do not tell its length.</summary>
    public static string MaskEmail(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : email[0] + "***" + email[at..];
    }

    private string Lifetime()
    {
        var lifespan = tokenLifetime.Value.TokenLifespan;
        return lifespan.TotalHours >= 24 && lifespan.TotalHours % 24 == 0
            ? (lifespan.TotalDays == 1 ? "one day" : $"{lifespan.TotalDays:0} days")
            : $"{lifespan.TotalHours:0.#} hours";
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
            .AppendLine("A new account can sign in once its address is confirmed, and you need a confirmed address to")
            .AppendLine("download, correct or delete your data.")
            .AppendLine()
            .AppendLine("If you did not apply or change your address with us, do not open the link and ignore this mail:")
            .AppendLine("someone may have typed your address by mistake.")
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

    /// <summary>
    /// Art. 12(3): the new due date and HR's reason. HR can extend only before the first month ends
    /// (<see cref="DataSubjectRequest.ExtensionRefusal"/>), so this mail is always owed, and queued, within it.
    /// </summary>
    private async Task<OutgoingMail?> RequestExtendedAsync(Notification notification, CancellationToken cancellationToken)
    {
        var facts = await RequestFactsAsync(notification, cancellationToken);
        if (facts is null) return null;
        var request = facts.Request;

        var body = new StringBuilder()
            .AppendLine($"Dear {facts.FullName},")
            .AppendLine()
            .AppendLine($"We received your request ({RequestWords.Of(request.Type)}) on {Day(request.ReceivedAt)}. We need more time to answer it fully.")
            .AppendLine($"We will answer it by {Day(request.DueAt)} at the latest.")
            .AppendLine()
            .AppendLine("The reason:")
            .AppendLine(request.ExtensionReason)
            .AppendLine()
            .AppendLine("The GDPR (Art. 12(3)) allows us to extend the time to answer by up to two further months when a request is complex or we receive many.")
            .AppendLine($"If you disagree, you can complain to a data protection authority; our privacy notice names it: {Link("/privacy")}")
            .ToString();
        return new OutgoingMail(notification.Id, facts.Email, "We need more time to answer your request", body);
    }

    /// <summary>
    /// HR's answer: completed (an objection: upheld), refused with the reason, or, from the erasure job, on hold
    /// under Art. 17(3)(e) with HR's reason. Refusals name the right to complain (Art. 12(4)).
    /// </summary>
    private async Task<OutgoingMail?> RequestAnsweredAsync(Notification notification, CancellationToken cancellationToken)
    {
        var facts = await RequestFactsAsync(notification, cancellationToken);
        if (facts is null) return null;
        var request = facts.Request;

        var about = $"your request ({RequestWords.Of(request.Type)}) of {Day(request.ReceivedAt)}";
        var (outcome, answerHeading) = request.Status switch
        {
            RequestStatus.Completed => ($"We have dealt with {about}.", "Our answer:"),
            RequestStatus.Refused => ($"We have refused {about}.", "Our reason:"),
            RequestStatus.OnHold => ($"We cannot carry out {about} yet, so it is on hold. We will carry it out, without you asking again, as soon as the reason below no longer applies.",
                "The reason:"),
            _ => ($"We are still handling {about}.", "Our note:"),
        };
        var body = new StringBuilder()
            .AppendLine($"Dear {facts.FullName},")
            .AppendLine()
            .AppendLine(outcome);
        if (request.Answer is not null)
            body.AppendLine().AppendLine(answerHeading).AppendLine(request.Answer);
        if (request.Status is RequestStatus.Refused or RequestStatus.OnHold)
            body.AppendLine()
                .AppendLine($"If you disagree, you can complain to a data protection authority (our privacy notice names it: {Link("/privacy")}) or go to court.");
        body.AppendLine()
            .AppendLine($"To ask us anything else about your data: {Link("/privacy/contact")}");
        return new OutgoingMail(notification.Id, facts.Email, "Our answer to your request", body.ToString());
    }

    /// <summary>
    /// Art. 18(3): the jobseeker is told before the restriction is lifted. The lifting is a tracked change that
    /// <see cref="SendAsync"/> saves together with the sent mark, only after the mail has gone; if the send fails,
    /// nothing is saved and the application stays restricted until a retry succeeds.
    /// </summary>
    private async Task<OutgoingMail?> RestrictionLiftingAsync(Notification notification, CancellationToken cancellationToken)
    {
        var facts = await RequestFactsAsync(notification, cancellationToken);
        if (facts is null) return null;
        var request = facts.Request;
        var application = await db.Applications.Include(a => a.JobPosting)
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.ApplicantId == request.ApplicantId, cancellationToken);
        if (application is not { IsRestricted: true })
            return null; // deleted meanwhile, or no longer restricted: nothing to lift, nothing to tell

        application.LiftRestriction();
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.RestrictionLifted, AuditEvent.SystemActor, null, time.GetUtcNow(),
            requestId: request.Id, applicantId: request.ApplicantId, applicationId: application.Id));

        var body = new StringBuilder()
            .AppendLine($"Dear {facts.FullName},")
            .AppendLine()
            .AppendLine($"The processing of your application for \"{application.JobPosting.Title}\" has been restricted since your request of {Day(request.ReceivedAt)}.")
            .AppendLine("We are now lifting that restriction: from this message on, the recruiters handling the position can see and process your application again.")
            .AppendLine()
            .AppendLine($"You can still withdraw your application, object to its processing or have your data deleted: {Link("/my/applications")}")
            .AppendLine($"Questions about your data: {Link("/privacy/contact")}")
            .ToString();
        return new OutgoingMail(notification.Id, facts.Email, "The restriction on your application is being lifted", body);
    }

    /// <summary>
    /// Marketing to the talent pool: one posting, its link, and the one-click opt-out. Nothing is sent when the
    /// consent was withdrawn, or the posting closed, since the notification was made.
    /// </summary>
    private async Task<OutgoingMail?> NewOpeningAsync(Notification notification, CancellationToken cancellationToken)
    {
        var applicant = await db.Applicants
            .Where(a => a.UserId == notification.UserId)
            .Where(a => db.Consents.Any(c => c.ApplicantId == a.Id && c.Purpose == ConsentPurpose.TalentPool && c.WithdrawnAt == null))
            .Where(a => !db.Applications.Any(x => x.ApplicantId == a.Id && x.IsRestricted)) // restricted since it was owed
            .Select(a => new { a.Id, a.FullName, a.Email })
            .SingleOrDefaultAsync(cancellationToken);
        var posting = await db.JobPostings
            .Where(p => p.Id == notification.JobPostingId && p.Status == PostingStatus.Open)
            .Select(p => new { p.Id, p.Title, p.Location })
            .SingleOrDefaultAsync(cancellationToken);
        if (applicant is null || posting is null) return null;

        var optOutLink = Link(optOut.PathFor(applicant.Id));
        var body = new StringBuilder()
            .AppendLine($"Dear {applicant.FullName},")
            .AppendLine()
            .AppendLine($"A new position has opened that may interest you: \"{posting.Title}\" ({posting.Location}).")
            .AppendLine($"Read more and apply: {Link($"/postings/{posting.Id}")}")
            .AppendLine()
            .AppendLine("You get this mail because you asked us to keep your application for future openings.")
            .AppendLine("To stop these mails and withdraw that consent with one click, open:")
            .AppendLine(optOutLink)
            .AppendLine()
            .AppendLine($"You can also withdraw it under My data: {Link("/my/data")}")
            .ToString();
        return new OutgoingMail(notification.Id, applicant.Email, $"New opening: {posting.Title}", body);
    }

    /// <summary>
    /// Retention, before deletion: the date its data is deleted (read now, so a date that moved since is the one told),
    /// in words that fit the outcome, with what the applicant can do: the talent-pool opt-in on My data after a
    /// rejection, a withdrawal or no decision; the one-click renewal when the talent-pool consent is what ends; nothing
    /// for the hired. Nothing is sent once it is deleted, restricted, or no longer due.
    /// </summary>
    private async Task<OutgoingMail?> DeletionWarningAsync(Notification notification, CancellationToken cancellationToken)
    {
        var facts = await db.Applications
            .Where(a => a.Id == notification.ApplicationId && a.DeletionDueAt != null && a.DeletionOutcome != null && !a.IsRestricted)
            .Select(a => new
            {
                a.Id, a.Applicant.FullName, a.Applicant.Email, a.JobPosting.Title, DueAt = a.DeletionDueAt!.Value,
                Outcome = a.DeletionOutcome!.Value,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (facts is null) return null;

        var body = new StringBuilder()
            .AppendLine($"Dear {facts.FullName},")
            .AppendLine()
            .AppendLine(facts.Outcome switch
            {
                Applications.RetentionOutcome.Rejected =>
                    $"Your application for \"{facts.Title}\" was not taken further. As our privacy notice says, we keep its data only for a limited time:",
                Applications.RetentionOutcome.Withdrawn =>
                    $"You withdrew your application for \"{facts.Title}\". As our privacy notice says, we keep its data only for a limited time:",
                Applications.RetentionOutcome.Hired =>
                    $"Congratulations again on the position \"{facts.Title}\". The recruitment is over, and as our privacy notice says, "
                    + "we keep the application's data only for a limited time (what your employment needs is kept in your employee file, not here):",
                Applications.RetentionOutcome.TalentPool =>
                    $"You asked us to keep your application for \"{facts.Title}\" for future openings. That consent ends soon:",
                _ =>
                    $"We have not come to a decision on your application for \"{facts.Title}\", and as our privacy notice says, "
                    + "we keep its data only for a limited time:",
            })
            .AppendLine($"it will be deleted on {Day(facts.DueAt)}, with its documents.")
            .AppendLine();
        switch (facts.Outcome)
        {
            case Applications.RetentionOutcome.TalentPool:
                // A signed link that lives until the deletion date; opening it only shows a button (mail scanners open links).
                body.AppendLine("To stay in the talent pool, renew your consent with one click:")
                    .AppendLine(Link(renewal.PathFor(facts.Id, facts.DueAt)))
                    .AppendLine()
                    .AppendLine($"You can withdraw the consent instead under My data: {Link("/my/data")}")
                    .AppendLine();
                break;
            case Applications.RetentionOutcome.Hired:
                break;
            default:
                body.AppendLine("If you would like us to keep your application for future openings instead, you can say so under My data")
                    .AppendLine($"(\"Keep my application for future openings\"): {Link("/my/data")}")
                    .AppendLine();
                break;
        }
        body.AppendLine("If you do nothing, your data for this application is deleted on that date.")
            .AppendLine($"How we handle your data: {Link("/privacy")}");
        var subject = facts.Outcome == Applications.RetentionOutcome.TalentPool
            ? "Your place in our talent pool ends soon"
            : "Your application data will be deleted soon";
        return new OutgoingMail(notification.Id, facts.Email, subject, body.ToString());
    }

    /// <summary>To HR: the newest run that stopped at the cap, with its counts; nothing personal.</summary>
    private async Task<OutgoingMail?> RetentionCapReachedAsync(Notification notification, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(notification.UserId.ToString());
        if (user?.Email is null) return null;
        var run = await db.RetentionRuns.Where(r => r.Status == Retention.RetentionRunStatus.StoppedAtCap)
            .OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellationToken);
        if (run is null) return null;

        var body = new StringBuilder()
            .AppendLine($"The retention run started {run.StartedAt.UtcDateTime.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture)} UTC found more applications due for deletion than one run may delete (Retention:MaxDeletionsPerRun), so it deleted nothing.")
            .AppendLine()
            .AppendLine($"What it found: {run.Counts}")
            .AppendLine()
            .AppendLine("Check the retention policies and the run's figures, then either correct the policy or raise the cap and run it again:")
            .AppendLine(Link("/manage/retention/runs"))
            .ToString();
        return new OutgoingMail(notification.Id, user.Email, "Retention run stopped at its cap", body);
    }

    private sealed record ApplicationFacts(string FullName, string Email, string PostingTitle);

    private sealed record RequestFacts(DataSubjectRequest Request, string FullName, string Email);

    /// <summary>The request and whom to tell; null once the jobseeker is erased.</summary>
    private async Task<RequestFacts?> RequestFactsAsync(Notification notification, CancellationToken cancellationToken)
    {
        var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == notification.RequestId, cancellationToken);
        if (request?.ApplicantId is null) return null;
        var applicant = await db.Applicants.Where(a => a.Id == request.ApplicantId)
            .Select(a => new { a.FullName, a.Email })
            .SingleOrDefaultAsync(cancellationToken);
        return applicant is null ? null : new RequestFacts(request, applicant.FullName, applicant.Email);
    }

    /// <summary>Dates in mail, as "28 February 2026" (UTC), whatever the server's locale.</summary>
    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private Task<ApplicationFacts?> ApplicationFactsAsync(Notification notification, CancellationToken cancellationToken) =>
        db.Applications
            .Where(a => a.Id == notification.ApplicationId)
            .Select(a => new ApplicationFacts(a.Applicant.FullName, a.Applicant.Email, a.JobPosting.Title))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Identity tokens travel in links base64url-encoded.</summary>
    private static string LinkCode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    private string Link(string path) => portal.Value.PublicUrl.TrimEnd('/') + path;
}
