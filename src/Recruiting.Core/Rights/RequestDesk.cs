using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Results;
using Recruiting.Core.Review;

namespace Recruiting.Core.Rights;

public enum RequestFilter { All, Open, Closed }

/// <summary>How HR answers a request: completed (for an objection: upheld) or refused, each with the words sent to the jobseeker.</summary>
public enum RequestOutcome { Complete, Refuse }

/// <summary>A request that reached HR by mail, phone or post, as HR logs it.</summary>
public sealed record LoggedRequest(string? ApplicantEmail, RequestType Type, RequestChannel Channel, DateOnly? Received,
    string? IdentityVerification);

/// <summary>What logging a request came to: the request filed, or the message to show.</summary>
/// <summary>One line of the desk: ids, type, dates and state only; who asked is on the request's own page.</summary>
public sealed record RequestRow(Guid Id, RequestType Type, RequestChannel Channel, RequestStatus Status, DateTimeOffset ReceivedAt, DateTimeOffset DueAt,
    DateTimeOffset? ExtendedAt, DateTimeOffset? CompletedAt, string? ResultCounts, bool SubjectErased, bool Overdue);

public sealed record RequestPage(IReadOnlyList<RequestRow> Rows, int Page, int TotalCount, RequestFilter Filter)
{
    public const int PageSize = 25;
    public int PageCount => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);
}

public sealed record RequestSubject(Guid ApplicantId, string FullName, string Email, string Phone);

public sealed record RequestApplication(Guid Id, string PostingTitle, ApplicationStatus Status, bool IsRestricted);

/// <summary>Everything HR needs to answer one request.</summary>
public sealed record RequestCase(
    DataSubjectRequest Request,
    RequestSubject? Subject,
    RequestApplication? Application,
    bool Overdue,
    bool LiftingPending,
    IReadOnlyList<AuditEvent> Trail)
{
    /// <summary>Restriction and objection requests whose application is restricted: HR may lift it, telling the jobseeker first.</summary>
    public bool CanLiftRestriction =>
        Request.Type is RequestType.Restriction or RequestType.Objection && Application is { IsRestricted: true } && !LiftingPending;
}

public sealed record AuditPage(IReadOnlyList<AuditEvent> Rows, int Page, int TotalCount, Guid? RequestId)
{
    public const int PageSize = 50;
    public int PageCount => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);
}

/// <summary>
/// HR's request desk: every data-subject request with its due date (Art. 12(3)), and what HR does with them: extend
/// the due date once, answer, lift a restriction. Every change is audited with ids and the role only, and every mail
/// to the jobseeker is a <see cref="Notification"/> handed to Hangfire after the commit.
/// </summary>
public sealed class RequestDesk(
    RecruitingDbContext db,
    RightsRequests rights,
    TimeProvider time,
    ILogger<RequestDesk> logger)
{
    /// <summary>Overdue ones first (most overdue first), then open ones by due date, then closed ones, most recent first.</summary>
    public async Task<RequestPage> ListAsync(RequestFilter filter, int page, CancellationToken cancellationToken)
    {
        page = Math.Max(1, page);
        var now = time.GetUtcNow();
        var requests = filter switch
        {
            RequestFilter.Open => db.Requests.Where(r => r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress),
            RequestFilter.Closed => db.Requests.Where(r => r.Status != RequestStatus.Received && r.Status != RequestStatus.InProgress),
            _ => db.Requests,
        };
        var total = await requests.CountAsync(cancellationToken);
        var rows = await requests
            .OrderBy(r => r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress ? (r.DueAt < now ? 0 : 1) : 2)
            .ThenBy(r => r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress ? r.DueAt : (DateTimeOffset?)null)
            .ThenByDescending(r => r.CompletedAt ?? r.ReceivedAt)
            .ThenBy(r => r.Id)
            .Skip((page - 1) * RequestPage.PageSize)
            .Take(RequestPage.PageSize)
            .Select(r => new { r.Id, r.Type, r.Channel, r.Status, r.ReceivedAt, r.DueAt, r.ExtendedAt, r.CompletedAt, r.ResultCounts, r.ApplicantId })
            .ToListAsync(cancellationToken);
        return new RequestPage(rows.Select(r => new RequestRow(r.Id, r.Type, r.Channel, r.Status, r.ReceivedAt, r.DueAt, r.ExtendedAt,
                r.CompletedAt, r.ResultCounts, r.ApplicantId is null,
                (r.Status is RequestStatus.Received or RequestStatus.InProgress) && now > r.DueAt)).ToList(),
            page, total, filter);
    }

    /// <summary>Open requests past their due date: the number on HR's menu.</summary>
    public Task<int> OverdueCountAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.Requests.CountAsync(r => (r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress) && r.DueAt < now,
            cancellationToken);
    }

    public async Task<RequestCase?> OpenAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
            return null;
        var subject = request.ApplicantId is null ? null : await db.Applicants
            .Where(a => a.Id == request.ApplicantId)
            .Select(a => new RequestSubject(a.Id, a.FullName, a.Email, a.Phone))
            .SingleOrDefaultAsync(cancellationToken);
        var application = request.ApplicationId is null ? null : await db.Applications
            .Where(a => a.Id == request.ApplicationId && a.ApplicantId == request.ApplicantId)
            .Select(a => new RequestApplication(a.Id, a.JobPosting.Title, a.Status, a.IsRestricted))
            .SingleOrDefaultAsync(cancellationToken);
        var trail = await db.AuditEvents.AsNoTracking()
            .Where(e => e.RequestId == requestId)
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        return new RequestCase(request, subject, application, request.IsOverdue(time.GetUtcNow()),
            await LiftingPendingAsync(requestId, cancellationToken), trail);
    }

    /// <summary>
    /// Logs a request that reached HR outside the portal (mail, phone, post) for the applicant with exactly that
    /// address, due one month after the day it was received, and carries it out as any other: access and erasure go
    /// to their jobs, the rest waits for HR's answer on the desk.
    /// </summary>
    public async Task<DeskResult<Guid>> LogAsync(StaffMember hr, LoggedRequest logged, CancellationToken cancellationToken)
    {
        if (!hr.IsHr)
            return DeskResult<Guid>.Refused("Only HR logs requests.");
        var now = time.GetUtcNow();
        if (!Enum.IsDefined(logged.Type))
            return DeskResult<Guid>.Refused("Choose the type of request.");
        if (logged.Received is not { } received)
            return DeskResult<Guid>.Refused("Give the date the request was received.");
        if (DataSubjectRequest.LogRefusal(logged.Channel, received, logged.IdentityVerification, now) is { } refusal)
            return DeskResult<Guid>.Refused(refusal);
        var email = logged.ApplicantEmail?.Trim().ToLowerInvariant();
        var applicant = string.IsNullOrEmpty(email) ? null
            : await db.Applicants.SingleOrDefaultAsync(a => a.Email == email, cancellationToken);
        if (applicant is null)
            return DeskResult<Guid>.Refused("No applicant has exactly this email address. Check it against the one they applied with.");
        if (logged.Type == RequestType.Erasure && await db.Requests.AnyAsync(r => r.ApplicantId == applicant.Id
                && r.Type == RequestType.Erasure
                && (r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress || r.Status == RequestStatus.OnHold),
                cancellationToken))
            return DeskResult<Guid>.Refused("This applicant already has an erasure request that is not finished.");

        var request = await rights.FileAsync(
            DataSubjectRequest.Log(logged.Type, applicant.Id, logged.Channel, received, logged.IdentityVerification!, now),
            hr.Role, hr.UserId, cancellationToken);
        logger.LogInformation("Request {RequestId} received by {Channel} logged by {UserId}", request.Id, request.Channel, hr.UserId);
        return DeskResult.Done(request.Id);
    }

    /// <summary>
    /// Extends the due date once, to <paramref name="newDueDate"/> at the time of day the request was received, and
    /// mails the reason. <see cref="DataSubjectRequest.ExtensionRefusal"/> refuses it once the first month has passed,
    /// so the jobseeker is always told before it ends (Art. 12(3)).
    /// </summary>
    public async Task<DeskResult> ExtendAsync(StaffMember hr, Guid requestId, DateOnly newDueDate, string? reason,
        CancellationToken cancellationToken)
    {
        var request = await RequestOfAsync(hr, requestId, cancellationToken);
        if (request is null)
            return DeskResult.NotFound;
        var now = time.GetUtcNow();
        var newDueAt = new DateTimeOffset(newDueDate.ToDateTime(TimeOnly.FromTimeSpan(request.ReceivedAt.UtcDateTime.TimeOfDay)), TimeSpan.Zero);
        if (request.ExtensionRefusal(newDueAt, reason, now) is { } refusal)
            return DeskResult.Refused(refusal);
        if (await SubjectUserIdAsync(request, cancellationToken) is not { } userId)
            return DeskResult.Refused(SubjectGone);

        request.Extend(newDueAt, reason!, now);
        db.AuditEvents.Add(Audit(AuditAction.RequestExtended, hr, request, now));
        OweMail(NotificationKind.RequestExtended, userId, request, now);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Request {RequestId} extended by {UserId}", request.Id, hr.UserId);
        return DeskResult.Done();
    }

    /// <summary>
    /// HR's answer to a rectification, restriction, objection or question. Upholding an objection also restricts its
    /// application: recruiters stop seeing and processing it, and HR can lift that later like any restriction.
    /// </summary>
    public async Task<DeskResult> AnswerAsync(StaffMember hr, Guid requestId, RequestOutcome outcome, string? answer,
        CancellationToken cancellationToken)
    {
        var request = await RequestOfAsync(hr, requestId, cancellationToken);
        if (request is null)
            return DeskResult.NotFound;
        if (request.AnswerRefusal(answer) is { } refusal)
            return DeskResult.Refused(refusal);
        if (await SubjectUserIdAsync(request, cancellationToken) is not { } userId)
            return DeskResult.Refused(SubjectGone);

        var now = time.GetUtcNow();
        if (outcome == RequestOutcome.Complete)
        {
            if (request.Type == RequestType.Objection && await ApplicationOfAsync(request, cancellationToken) is { IsRestricted: false } application)
            {
                application.Restrict();
                db.AuditEvents.Add(Audit(AuditAction.RestrictionApplied, hr, request, now));
            }
            request.Complete(now, answer);
            db.AuditEvents.Add(Audit(AuditAction.RequestCompleted, hr, request, now));
        }
        else
        {
            request.Refuse(answer!, now);
            db.AuditEvents.Add(Audit(AuditAction.RequestRefused, hr, request, now));
        }
        OweMail(NotificationKind.RequestAnswered, userId, request, now);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Request {RequestId} answered ({Status}) by {UserId}", request.Id, request.Status, hr.UserId);
        return DeskResult.Done();
    }

    /// <summary>
    /// Lifts the restriction on a restriction or objection request's application. Art. 18(3): the jobseeker is told
    /// before it is lifted, so this only queues the mail; the mail job lifts it once the mail is sent.
    /// An open request is completed with that answer.
    /// </summary>
    public async Task<DeskResult> LiftRestrictionAsync(StaffMember hr, Guid requestId, CancellationToken cancellationToken)
    {
        var request = await RequestOfAsync(hr, requestId, cancellationToken);
        if (request is null)
            return DeskResult.NotFound;
        if (request.Type is not (RequestType.Restriction or RequestType.Objection))
            return DeskResult.Refused("Only restriction and objection requests concern a restriction.");
        if (await ApplicationOfAsync(request, cancellationToken) is not { IsRestricted: true })
            return DeskResult.Refused("This request's application is not restricted.");
        if (await LiftingPendingAsync(request.Id, cancellationToken))
            return DeskResult.Refused("The restriction is already being lifted: it ends once the jobseeker's mail is sent.");
        if (await SubjectUserIdAsync(request, cancellationToken) is not { } userId)
            return DeskResult.Refused(SubjectGone);

        var now = time.GetUtcNow();
        if (request.IsOpen)
        {
            request.Complete(now, LiftedAnswer);
            db.AuditEvents.Add(Audit(AuditAction.RequestCompleted, hr, request, now));
        }
        db.AuditEvents.Add(Audit(AuditAction.RestrictionLiftOrdered, hr, request, now));
        OweMail(NotificationKind.RestrictionLifting, userId, request, now);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Lifting of the restriction of request {RequestId} ordered by {UserId}", request.Id, hr.UserId);
        return DeskResult.Done();
    }

    public const string LiftedAnswer = "The restriction is lifted: the recruiters handling the position can see and process your application again.";

    private const string SubjectGone = "The jobseeker no longer has an account, so they cannot be told; nothing was changed.";

    /// <summary>The audit log, newest first; optionally one request's events only.</summary>
    public async Task<AuditPage> AuditAsync(int page, Guid? requestId, CancellationToken cancellationToken)
    {
        page = Math.Max(1, page);
        var events = requestId is null ? db.AuditEvents : db.AuditEvents.Where(e => e.RequestId == requestId);
        var total = await events.CountAsync(cancellationToken);
        var rows = await events.AsNoTracking()
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((page - 1) * AuditPage.PageSize)
            .Take(AuditPage.PageSize)
            .ToListAsync(cancellationToken);
        return new AuditPage(rows, page, total, requestId);
    }

    /// <summary>The request, when the desk's user is HR; anyone else finds nothing.</summary>
    private async Task<DataSubjectRequest?> RequestOfAsync(StaffMember staff, Guid requestId, CancellationToken cancellationToken) =>
        staff.IsHr ? await db.Requests.SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken) : null;

    private Task<JobApplication?> ApplicationOfAsync(DataSubjectRequest request, CancellationToken cancellationToken) =>
        request.ApplicationId is null || request.ApplicantId is null
            ? Task.FromResult<JobApplication?>(null)
            : db.Applications.SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.ApplicantId == request.ApplicantId, cancellationToken);

    private async Task<Guid?> SubjectUserIdAsync(DataSubjectRequest request, CancellationToken cancellationToken) =>
        request.ApplicantId is null ? null : await db.Applicants
            .Where(a => a.Id == request.ApplicantId)
            .Select(a => (Guid?)a.UserId)
            .SingleOrDefaultAsync(cancellationToken);

    private Task<bool> LiftingPendingAsync(Guid requestId, CancellationToken cancellationToken) =>
        db.Notifications.AnyAsync(n => n.RequestId == requestId && n.Kind == NotificationKind.RestrictionLifting && n.SentAt == null,
            cancellationToken);

    private static AuditEvent Audit(AuditAction action, StaffMember hr, DataSubjectRequest request, DateTimeOffset now) =>
        AuditEvent.Record(action, hr.Role, hr.UserId, now, requestId: request.Id, applicantId: request.ApplicantId,
            applicationId: request.ApplicationId);

    /// <summary>Saved with the change it tells of; sent once that commits.</summary>
    private void OweMail(NotificationKind kind, Guid userId, DataSubjectRequest request, DateTimeOffset now) =>
        db.Notifications.Add(Notification.AboutRequest(kind, userId, request.Id, now));
}
