using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Rights;

public enum ErasureOutcome
{
    /// <summary>An erasure request is filed and handed to <see cref="ErasureJob"/>; every session of the account has ended.</summary>
    Filed,
    /// <summary>They have an erasure request that is not finished (received, in progress or on hold); nothing new is filed.</summary>
    AlreadyRequested,
    /// <summary>An account without an applicant profile: deleted at once, with its receipt.</summary>
    AccountDeleted,
}

/// <summary>"Delete my data": files the erasure of a jobseeker whose password was checked again.</summary>
public sealed class ErasureRequests(
    RecruitingDbContext db,
    UserManager<AppUser> users,
    RightsRequests rights,
    IMailSender mail,
    ISentMailCopies mailCopies,
    IEnumerable<IErasureScrubber> scrubbers,
    TimeProvider time,
    ILogger<ErasureRequests> logger)
{
    /// <summary>Their erasure request that has not finished yet, if any.</summary>
    public Task<DataSubjectRequest?> UnfinishedOfAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Requests
            .Where(r => r.Type == RequestType.Erasure
                        && (r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress || r.Status == RequestStatus.OnHold)
                        && db.Applicants.Any(a => a.Id == r.ApplicantId && a.UserId == userId))
            .OrderByDescending(r => r.ReceivedAt)
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<ErasureOutcome> RequestAsync(AppUser user, CancellationToken cancellationToken)
    {
        var applicant = await rights.ApplicantOfAsync(user.Id, cancellationToken);
        if (applicant is null)
        {
            await DeleteAccountAsync(user, cancellationToken);
            return ErasureOutcome.AccountDeleted;
        }
        if (await UnfinishedOfAsync(user.Id, cancellationToken) is not null)
            return ErasureOutcome.AlreadyRequested;

        // First, so every other session ends even before the job deletes the account (sessions re-check within a minute).
        await users.UpdateSecurityStampAsync(user);
        await rights.FileAsync(applicant, RequestType.Erasure, cancellationToken);
        return ErasureOutcome.Filed;
    }

    /// <summary>
    /// A jobseeker account with no profile holds no more than the account and its mail records: deleted in the request,
    /// after the receipt. The audit event is its record (an erasure request needs an applicant to belong to).
    /// </summary>
    private async Task DeleteAccountAsync(AppUser user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var counts = new Dictionary<string, int>
        {
            ["notifications"] = await db.Notifications.CountAsync(n => n.UserId == user.Id, cancellationToken),
            ["account"] = 1,
            ["logins"] = await db.UserLogins.CountAsync(l => l.UserId == user.Id, cancellationToken),
            ["tokens"] = await db.UserTokens.CountAsync(t => t.UserId == user.Id, cancellationToken),
        };
        // The kept copies of their earlier mails go first: the rows deleted below are the only record of their ids.
        if (mailCopies.KeepsCopies)
            await mailCopies.DeleteAsync(await db.Notifications.Where(n => n.UserId == user.Id).Select(n => n.Id)
                .ToListAsync(cancellationToken), cancellationToken);
        if (user.Email is not null)
            await mail.SendAsync(ErasureReceipt.Mail(Guid.NewGuid(), user.Email, null, now, now, counts), cancellationToken);

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Notifications.Where(n => n.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
            db.AuditEvents.Add(AuditEvent.Record(AuditAction.ErasureCompleted, Roles.Jobseeker, user.Id, now, counts: counts));
            var deleted = await users.DeleteAsync(user);
            if (!deleted.Succeeded)
                throw new InvalidOperationException("Deleting the account failed: " + string.Join(", ", deleted.Errors.Select(e => e.Code)));
            await transaction.CommitAsync(cancellationToken);
        }
        logger.LogInformation("Account {UserId} without a profile was deleted at its owner's request", user.Id);
        foreach (var scrubber in scrubbers)
            await scrubber.ScrubAsync(IErasureScrubber.UnfinishedWriteAge, cancellationToken);
    }
}
