using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Consent;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Retention;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Rights;

/// <summary>
/// Carries out an erasure request (Art. 17). Takes only the request id. Every step leaves its progress in the request
/// row, so a retry, or a run after the process was killed half-way (the reconcile job re-hands it), resumes and ends in
/// the same state; Hangfire only executes, so losing its storage loses nothing:
/// legal-hold check → start and count → delete blobs → delete rows → mail the receipt → delete profile and account
/// and close the request as the tombstone → scrub storage-engine copies.
/// </summary>
public sealed class ErasureJob(
    RecruitingDbContext db,
    UserManager<AppUser> users,
    IBlobStore blobs,
    Retention.ApplicationDeletion applications,
    IMailSender mail,
    ISentMailCopies mailCopies,
    IEnumerable<IErasureScrubber> scrubbers,
    RequestClaims claims,
    TimeProvider time,
    ILogger<ErasureJob> logger)
{
    /// <summary>
    /// Every entity type this job deletes (or, for requests, anonymises) for its subject. A unit test fails when an
    /// entity type with a personal-data property is missing here, so erasure stays complete as the model grows.
    /// </summary>
    public static readonly IReadOnlySet<Type> ErasedEntityTypes = new HashSet<Type>
    {
        typeof(Applicant), typeof(JobApplication), typeof(ApplicationDocument), typeof(Applications.RecruiterNote),
        typeof(ConsentRecord), typeof(Applications.AccessLogEntry), typeof(Notification), typeof(LegalHold), typeof(DataSubjectRequest),
        // Unconfirmed visitor requests for their address.
        typeof(VisitorRequest),
        // The account; its logins, tokens, claims and roles go with it (cascading deletes).
        typeof(AppUser), typeof(IdentityUserLogin<Guid>), typeof(IdentityUserToken<Guid>), typeof(IdentityUserClaim<Guid>),
        typeof(IdentityUserRole<Guid>),
    };

    // Failures are retried by Hangfire's global filter (10 attempts, growing delays); each retry resumes where the row says.
    public async Task RunAsync(Guid requestId, CancellationToken cancellationToken)
    {
        // One run acts at a time: a second one (the same request handed over twice) would delete, mail the receipt and
        // audit the completion again. If the claim is lost half-way, the work stops rather than race its new holder.
        await using var claim = await claims.TakeAsync(requestId, cancellationToken);
        if (claim is null)
            return;
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, claim.Lost);
        await RunClaimedAsync(requestId, work.Token);
    }

    private async Task RunClaimedAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == requestId && r.Type == RequestType.Erasure, cancellationToken);
        if (request is null || request.Status == RequestStatus.Refused)
            return;
        if (request.Status == RequestStatus.Completed)
        {
            // A retry after the last step failed: scrubbing again is cheap and makes sure it happened.
            await ScrubAsync(cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        var applicant = request.ApplicantId is { } applicantId
            ? await db.Applicants.SingleOrDefaultAsync(a => a.Id == applicantId, cancellationToken)
            : null;
        if (applicant is null)
        {
            // Erased already, by another erasure request of theirs: nothing is left to erase.
            request.Anonymise();
            request.Complete(now, resultCounts: request.ResultCounts ?? "profile=0");
            db.AuditEvents.Add(AuditEvent.Record(AuditAction.RequestCompleted, AuditEvent.SystemActor, null, now, requestId: request.Id));
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        if (request.Status != RequestStatus.InProgress)
        {
            // Once started, blobs may already be gone: a hold placed after that point cannot keep them, so it is checked only here.
            var holds = await db.ActiveCovering(applicant.Id, now).OrderBy(h => h.PlacedAt).ToListAsync(cancellationToken);
            if (holds.Count > 0)
            {
                await PutOnHoldAsync(request, applicant, holds, now, cancellationToken);
                return;
            }
            request.Start(now);
            db.AuditEvents.Add(AuditEvent.Record(AuditAction.RequestStarted, AuditEvent.SystemActor, null, now,
                requestId: request.Id, applicantId: applicant.Id));
        }
        if (request.ResultCounts is null)
            request.RecordCounts(ErasureReceipt.Format(await CountAsync(request, applicant, now, cancellationToken)));
        await db.SaveChangesAsync(cancellationToken);

        await DeleteBlobsAsync(applicant, cancellationToken);
        await DeleteMailCopiesAsync(applicant, cancellationToken);
        await DeleteRowsAsync(request, applicant, now, cancellationToken);
        await SendReceiptAsync(request, applicant, now, cancellationToken);
        await DeleteProfileAndAccountAsync(request, applicant, now, cancellationToken);
        logger.LogInformation("Erasure request {RequestId} completed: {Counts}", request.Id, request.ResultCounts);

        await ScrubAsync(cancellationToken);
    }

    /// <summary>Art. 17(3)(e): answered as refused with HR's reason; the reconcile job resumes it when no hold covers them.</summary>
    private async Task PutOnHoldAsync(DataSubjectRequest request, Applicant applicant, List<LegalHold> holds, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (request.Status == RequestStatus.OnHold)
            return; // told already; still held

        const string prefix = "Refused under Art. 17(3)(e): ";
        const string suffix = " We keep your data while this applies, and delete it when it ends without you asking again.";
        var reasons = string.Join(" ", holds.Select(h => h.Reason.TrimEnd('.') + ".").Distinct());
        var room = DataSubjectRequest.AnswerMaxLength - prefix.Length - suffix.Length;
        request.PutOnHold(prefix + (reasons.Length > room ? reasons[..room] : reasons) + suffix, now);

        db.Notifications.Add(Notification.AboutRequest(NotificationKind.RequestAnswered, applicant.UserId, request.Id, now));
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.RequestOnHold, AuditEvent.SystemActor, null, now,
            requestId: request.Id, applicantId: applicant.Id));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Erasure request {RequestId} is on hold: {HoldCount} legal holds cover the applicant", request.Id, holds.Count);
    }

    /// <summary>What the erasure deletes, counted before anything is deleted.</summary>
    private async Task<Dictionary<string, int>> CountAsync(DataSubjectRequest request, Applicant applicant, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var applicationIds = ApplicationIdsOf(applicant);
        var userId = applicant.UserId;
        return new Dictionary<string, int>
        {
            ["profile"] = 1,
            ["applications"] = await applicationIds.CountAsync(cancellationToken),
            ["documents"] = await db.Documents.CountAsync(d => applicationIds.Contains(d.ApplicationId), cancellationToken),
            ["notes"] = await db.Notes.CountAsync(n => applicationIds.Contains(n.ApplicationId), cancellationToken),
            ["consents"] = await db.Consents.CountAsync(c => c.ApplicantId == applicant.Id, cancellationToken),
            ["requests"] = await db.Requests.CountAsync(r => r.ApplicantId == applicant.Id && r.Id != request.Id, cancellationToken),
            ["exports"] = await db.Requests.CountAsync(r => r.ApplicantId == applicant.Id && r.ExportBlobName != null, cancellationToken),
            ["accessLog"] = await db.AccessLog.CountAsync(e => e.ApplicantId == applicant.Id, cancellationToken),
            ["notifications"] = await db.Notifications.CountAsync(n => n.UserId == userId, cancellationToken),
            ["legalHolds"] = await EndedHoldsOf(applicant, now).CountAsync(cancellationToken),
            ["account"] = await db.Users.CountAsync(u => u.Id == userId, cancellationToken),
            ["logins"] = await db.UserLogins.CountAsync(l => l.UserId == userId, cancellationToken),
            ["tokens"] = await db.UserTokens.CountAsync(t => t.UserId == userId, cancellationToken),
        };
    }

    /// <summary>Documents and export ZIPs. Before the rows, which are the only record of the names; a missing blob is already deleted.</summary>
    private async Task DeleteBlobsAsync(Applicant applicant, CancellationToken cancellationToken)
    {
        await applications.DeleteBlobsAsync(await ApplicationIdsOf(applicant).ToListAsync(cancellationToken), cancellationToken);
        var exports = await db.Requests.Where(r => r.ApplicantId == applicant.Id && r.ExportBlobName != null)
            .Select(r => r.ExportBlobName!).ToListAsync(cancellationToken);
        foreach (var name in exports)
            await blobs.DeleteAsync(name, cancellationToken);
    }

    /// <summary>
    /// The kept copies of every mail to them but this receipt (see <see cref="ISentMailCopies"/>): before the rows,
    /// which are the only record of the mail ids. The receipt, sent after this, is the one mail they are still owed;
    /// its copy expires like any other.
    /// </summary>
    private async Task DeleteMailCopiesAsync(Applicant applicant, CancellationToken cancellationToken)
    {
        if (mailCopies.KeepsCopies)
            await mailCopies.DeleteAsync(await db.Notifications.Where(n => n.UserId == applicant.UserId).Select(n => n.Id)
                .ToListAsync(cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Everything about them but the profile and the account, in one transaction; their other requests become
    /// tombstones. The applications go as retention deletes them (<see cref="Retention.ApplicationDeletion"/>, which
    /// also adds them to the anonymous per-posting statistics); then what belongs to the applicant rather than to one
    /// application: consents without an application, the rest of the access log, their mail records.
    /// </summary>
    private async Task DeleteRowsAsync(DataSubjectRequest request, Applicant applicant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await EndedHoldsOf(applicant, now).ExecuteDeleteAsync(cancellationToken);
        await applications.DeleteRowsAsync(await ApplicationIdsOf(applicant).ToListAsync(cancellationToken), now, cancellationToken);
        await db.Consents.Where(c => c.ApplicantId == applicant.Id).ExecuteDeleteAsync(cancellationToken);
        await db.AccessLog.Where(e => e.ApplicantId == applicant.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Notifications.Where(n => n.UserId == applicant.UserId).ExecuteDeleteAsync(cancellationToken);
        await db.VisitorRequests.Where(v => v.Email == applicant.Email).ExecuteDeleteAsync(cancellationToken);

        var others = await db.Requests.Where(r => r.ApplicantId == applicant.Id && r.Id != request.Id).ToListAsync(cancellationToken);
        foreach (var other in others)
        {
            // Erasure supersedes whatever else they asked: open requests close, with nothing left to act on.
            if (other.IsOpen || other.Status == RequestStatus.OnHold)
                other.Complete(now);
            other.Anonymise();
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Directly, not through the outbox: the address is deleted right after. Sent once; the mail id is the request id,
    /// so a send retried after a crash replaces the first rather than adding one.
    /// </summary>
    private async Task SendReceiptAsync(DataSubjectRequest request, Applicant applicant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.ReceiptSentAt is not null)
            return;
        var address = await db.Users.Where(u => u.Id == applicant.UserId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        if (address is not null)
            await mail.SendAsync(ErasureReceipt.Mail(request.Id, address, request.Id, request.ReceivedAt, now,
                ErasureReceipt.Parse(request.ResultCounts)), cancellationToken);
        request.MarkReceiptSent(now);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The profile, the Identity user (with its logins, tokens, claims and roles), and the request turned tombstone, at once.</summary>
    private async Task DeleteProfileAndAccountAsync(DataSubjectRequest request, Applicant applicant, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var counts = ErasureReceipt.Parse(request.ResultCounts);
        request.Anonymise();
        request.Complete(now, resultCounts: request.ResultCounts);
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.ErasureCompleted, AuditEvent.SystemActor, null, now,
            requestId: request.Id, applicantId: applicant.Id, counts: counts));
        db.Applicants.Remove(applicant);

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == applicant.UserId, cancellationToken);
        if (user is null)
            await db.SaveChangesAsync(cancellationToken);
        else
        {
            // Saves the changes above too, in this transaction.
            var deleted = await users.DeleteAsync(user);
            if (!deleted.Succeeded)
                throw new InvalidOperationException("Deleting the account failed: " + string.Join(", ", deleted.Errors.Select(e => e.Code)));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task ScrubAsync(CancellationToken cancellationToken)
    {
        foreach (var scrubber in scrubbers)
            await scrubber.ScrubAsync(IErasureScrubber.UnfinishedWriteAge, cancellationToken);
    }

    private IQueryable<Guid> ApplicationIdsOf(Applicant applicant) =>
        db.Applications.Where(a => a.ApplicantId == applicant.Id).Select(a => a.Id);

    /// <summary>Holds on them or their applications that no longer apply; active ones are HR's record and stay.</summary>
    private IQueryable<LegalHold> EndedHoldsOf(Applicant applicant, DateTimeOffset now)
    {
        var applicationIds = ApplicationIdsOf(applicant);
        return db.LegalHolds.Where(h => (h.ApplicantId == applicant.Id || applicationIds.Contains(h.ApplicationId!.Value))
                                        && !(h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > now)));
    }
}
