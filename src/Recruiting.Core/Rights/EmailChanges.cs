using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Rights;

namespace Recruiting.Core.Rights;

public enum EmailChangeRequest { Requested, WrongPassword, LockedOut, SameAddress }

public enum EmailChangeConfirmation
{
    /// <summary>Wrong, used or expired link, or no change pending: nothing changed.</summary>
    BadLink,
    /// <summary>The notice to the current address has not gone out yet; nothing changed, try again shortly.</summary>
    NoticeNotSent,
    /// <summary>Another account took the address meanwhile: nothing changed.</summary>
    AddressTaken,
    Changed,
}

/// <summary>
/// Moving an account to another email address, in two steps. The request needs the current password (a session
/// left open is not enough to take the account over); it stores the new address as pending and mails a link to it,
/// and a notice to the current address. Nothing else changes until the link's page is confirmed: then the address and
/// the sign-in name move together (the applicant's contact copy too), and the new security stamp ends every other
/// session. The request answers alike whether or not the new address has an account: it never looks. Only the
/// mail to that address differs, decided at send time (<see cref="NotificationJob"/>), and it goes to that address's
/// owner, who may know.
/// </summary>
public sealed class EmailChanges(
    RecruitingDbContext db,
    SignInManager<AppUser> signIn,
    IOptions<DataProtectionTokenProviderOptions> tokens,
    TimeProvider time,
    ILogger<EmailChanges> logger)
{
    private UserManager<AppUser> Users => signIn.UserManager;

    /// <summary>How long a pending address waits for its link: as long as the link itself works.</summary>
    public TimeSpan Lifetime => tokens.Value.TokenLifespan;

    public async Task<EmailChangeRequest> RequestAsync(AppUser user, string currentPassword, string newEmail,
        CancellationToken cancellationToken)
    {
        // Counted towards lockout like a sign-in: this form must not become a way around it.
        var check = await signIn.CheckPasswordSignInAsync(user, currentPassword, lockoutOnFailure: true);
        if (check.IsLockedOut)
            return EmailChangeRequest.LockedOut;
        if (!check.Succeeded)
            return EmailChangeRequest.WrongPassword;

        newEmail = newEmail.Trim();
        if (string.Equals(Users.NormalizeEmail(newEmail), user.NormalizedEmail, StringComparison.Ordinal))
            return EmailChangeRequest.SameAddress;

        var now = time.GetUtcNow();
        user.RequestEmailChange(newEmail, now);
        // The notice first: it goes to the address that holds the account now, so its owner hears of the change.
        db.Notifications.Add(Notification.EmailChangeNotice(user.Id, now));
        db.Notifications.Add(Notification.EmailChangeConfirm(user.Id, now));
        await db.SaveChangesAsync(cancellationToken); // the user is tracked by this context: one save
        logger.LogInformation("User {UserId} asked to change their email address", user.Id);
        return EmailChangeRequest.Requested;
    }

    /// <summary>The button on the link's page. The token is Identity's change-email token, bound to the pending address and the security stamp.</summary>
    public async Task<EmailChangeConfirmation> ConfirmAsync(Guid userId, string token, CancellationToken cancellationToken)
    {
        var user = await Users.FindByIdAsync(userId.ToString());
        var now = time.GetUtcNow();
        if (user?.PendingEmailAt(now, Lifetime) is not { } newEmail)
            return EmailChangeConfirmation.BadLink;
        if (!await Users.VerifyUserTokenAsync(user, Users.Options.Tokens.ChangeEmailTokenProvider,
                UserManager<AppUser>.GetChangeEmailTokenPurpose(newEmail), token))
            return EmailChangeConfirmation.BadLink;
        if (!await NoticeSentAsync(user, cancellationToken))
            return EmailChangeConfirmation.NoticeNotSent;
        if (await Users.FindByEmailAsync(newEmail) is { } owner && owner.Id != user.Id)
            return EmailChangeConfirmation.AddressTaken;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        IdentityResult result;
        try
        {
            user.ClearPendingEmail();
            // Sets the address, marks it confirmed and renews the security stamp (other sessions end); then the sign-in name.
            result = await Users.ChangeEmailAsync(user, newEmail, token);
            if (result.Succeeded)
                result = await Users.SetUserNameAsync(user, newEmail);
        }
        catch (DbUpdateException)
        {
            // The unique index caught an account that took the address after the check above.
            result = IdentityResult.Failed(Users.ErrorDescriber.DuplicateEmail(newEmail));
        }
        if (!result.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            logger.LogInformation("User {UserId}: email change not made ({Errors})", user.Id, string.Join(",", result.Errors.Select(e => e.Code)));
            return result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName))
                ? EmailChangeConfirmation.AddressTaken
                : EmailChangeConfirmation.BadLink;
        }

        var applicant = await db.Applicants.SingleOrDefaultAsync(a => a.UserId == user.Id, cancellationToken);
        if (applicant is not null)
        {
            // The contact copy every application uses follows; on My data it is a correction like any other (Art. 16).
            applicant.UpdateContactDetails(applicant.Contact with { Email = newEmail }, now);
            var request = DataSubjectRequest.File(RequestType.Rectification, applicant.Id, now);
            request.Complete(now, resultCounts: "fields=" + SelfService.EmailField);
            db.Requests.Add(request);
            db.AuditEvents.AddRange(
                AuditEvent.Record(AuditAction.RequestFiled, Roles.Jobseeker, user.Id, now, request.Id, applicant.Id),
                AuditEvent.Record(AuditAction.ContactDetailsCorrected, Roles.Jobseeker, user.Id, now, request.Id, applicant.Id,
                    fields: [SelfService.EmailField]),
                AuditEvent.Record(AuditAction.RequestCompleted, Roles.Jobseeker, user.Id, now, request.Id, applicant.Id));
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("User {UserId} changed their email address", user.Id);
        return EmailChangeConfirmation.Changed;
    }

    /// <summary>
    /// Whether the notice of this change has gone to the current address. The confirming step waits for it: once the
    /// address has moved, the notice could only go to the new one, and the owner of the old would never hear.
    /// </summary>
    private async Task<bool> NoticeSentAsync(AppUser user, CancellationToken cancellationToken)
    {
        var requestedAt = user.PendingEmailRequestedAt!.Value;
        var notices = await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == user.Id && n.Kind == NotificationKind.EmailChangeNotice)
            .Select(n => new { n.CreatedAt, n.SentAt })
            .ToListAsync(cancellationToken);
        return notices.Any(n => n.CreatedAt >= requestedAt && n.SentAt is not null);
    }
}
