using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Data;

namespace Recruiting.Core.Rights;

/// <summary>The GDPR right a request exercises.</summary>
public enum RequestType { Access, Rectification, Erasure, Restriction, Objection, Question }

/// <summary>How a request reached us: through the signed-in portal, the visitor form on /privacy/contact, or to HR by mail, phone or post.</summary>
public enum RequestChannel { Portal, WebForm, Mail, Phone, Post }

public enum RequestStatus
{
    /// <summary>Filed; waiting for its job or for HR.</summary>
    Received,
    /// <summary>Its job has started (export, erasure).</summary>
    InProgress,
    Completed,
    Refused,
    /// <summary>An erasure a legal hold covers: answered as refused under Art. 17(3)(e), carried out once no hold covers the applicant.</summary>
    OnHold,
}

/// <summary>
/// A data-subject request and the system of record of its progress (Hangfire only executes): jobs take only its id,
/// and the reconcile job re-hands unfinished ones. Once its subject is erased, the row stays as the tombstone:
/// type, times, status and counts, with the subject and every text cleared.
/// </summary>
public class DataSubjectRequest
{
    public const int DetailsMaxLength = 4000;
    public const int AnswerMaxLength = 4000;
    public const int MaxExtensionMonths = 2;
    public const int VerificationMaxLength = 1000;

    private DataSubjectRequest() { }

    public Guid Id { get; private set; }
    public RequestType Type { get; private set; }
    public RequestStatus Status { get; private set; }
    public RequestChannel Channel { get; private set; }

    /// <summary>
    /// How HR made sure the request comes from the person it is about (Art. 12(6)), for requests that did not come
    /// through their signed-in account. Free text, so it can name documents or details of the person: personal data.
    /// </summary>
    [PersonalData] public string? IdentityVerification { get; private set; }

    /// <summary>Whose request it is; null once they are erased.</summary>
    public Guid? ApplicantId { get; private set; }

    /// <summary>The application a restriction, objection or CV replacement concerns.</summary>
    public Guid? ApplicationId { get; private set; }

    /// <summary>The jobseeker's own words: a question, the ground of a restriction or objection.</summary>
    [PersonalData] public string? Details { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>Received plus one calendar month (Art. 12(3)), or the extended date.</summary>
    public DateTimeOffset DueAt { get; private set; }
    public DateTimeOffset? ExtendedAt { get; private set; }
    [PersonalData] public string? ExtensionReason { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>HR's answer, or the reason a request was refused, as told to the jobseeker.</summary>
    [PersonalData] public string? Answer { get; private set; }

    /// <summary>What the request did, as counts per kind ("applications=2; documents=3"); never personal data.</summary>
    public string? ResultCounts { get; private set; }

    /// <summary>When a job for it was last handed to Hangfire; the reconcile job re-hands stale ones.</summary>
    public DateTimeOffset? EnqueuedAt { get; private set; }

    /// <summary>Access requests: the ZIP in the blob store, and when it is deleted.</summary>
    public string? ExportBlobName { get; private set; }
    public long? ExportSize { get; private set; }
    public DateTimeOffset? ExportExpiresAt { get; private set; }

    /// <summary>Erasure requests: when the receipt went to the address that is about to be erased.</summary>
    public DateTimeOffset? ReceiptSentAt { get; private set; }

    /// <summary>
    /// The run of its job that is carrying it out, and until when unless renewed (<see cref="RequestClaims"/>): two
    /// runs on two instances never act on one request at once. Set only by conditional updates, never through the entity.
    /// </summary>
    public Guid? ClaimedBy { get; private set; }
    public DateTimeOffset? ClaimedUntil { get; private set; }

    public bool IsOpen => Status is RequestStatus.Received or RequestStatus.InProgress;

    /// <summary>Carried out by a job rather than answered by HR.</summary>
    public bool RunsByItself => Type is RequestType.Access or RequestType.Erasure;

    public bool IsOverdue(DateTimeOffset now) => IsOpen && now > DueAt;

    public static DataSubjectRequest File(RequestType type, Guid applicantId, DateTimeOffset now,
        Guid? applicationId = null, string? details = null)
    {
        if (details?.Trim().Length > DetailsMaxLength)
            throw new ArgumentException($"At most {DetailsMaxLength} characters.", nameof(details));
        return new DataSubjectRequest
        {
            Id = Guid.NewGuid(),
            Type = type,
            Status = RequestStatus.Received,
            ApplicantId = applicantId,
            ApplicationId = applicationId,
            Details = string.IsNullOrWhiteSpace(details) ? null : details.Trim(),
            ReceivedAt = now,
            DueAt = now.AddMonths(1),
        };
    }

    /// <summary>
    /// A request that reached us outside the signed-in portal, logged with the day it was received: its month runs from
    /// then (Art. 12(3)), counted from the start of that day (UTC) so the due date is never later than the law allows.
    /// </summary>
    public static DataSubjectRequest Log(RequestType type, Guid applicantId, RequestChannel channel, DateOnly received,
        string identityVerification, DateTimeOffset now)
    {
        if (LogRefusal(channel, received, identityVerification, now) is { } refusal)
            throw new ArgumentException(refusal);
        var receivedAt = new DateTimeOffset(received.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var request = File(type, applicantId, receivedAt);
        request.Channel = channel;
        request.IdentityVerification = identityVerification.Trim();
        return request;
    }

    public const string MailboxVerified = "Mailbox verified: confirmed from a link mailed to the applicant's address.";

    /// <summary>A visitor's request from /privacy/contact, filed once they opened the link mailed to the address.</summary>
    public static DataSubjectRequest FileFromWebForm(RequestType type, Guid applicantId, DateTimeOffset now)
    {
        var request = File(type, applicantId, now);
        request.Channel = RequestChannel.WebForm;
        request.IdentityVerification = MailboxVerified;
        return request;
    }

    /// <summary>Null when a request with these facts may be logged now, else the message to show.</summary>
    public static string? LogRefusal(RequestChannel channel, DateOnly received, string? identityVerification, DateTimeOffset now)
    {
        if (!Enum.IsDefined(channel)) return "Choose how the request was received.";
        if (channel == RequestChannel.Portal) return "Requests made in the portal are filed by the portal itself.";
        if (received > DateOnly.FromDateTime(now.UtcDateTime)) return "The date received cannot be in the future.";
        if (received < DateOnly.FromDateTime(now.UtcDateTime.AddYears(-1))) return "The date received can be at most a year ago.";
        if (string.IsNullOrWhiteSpace(identityVerification)) return "Record how you verified the requester's identity.";
        if (identityVerification.Trim().Length > VerificationMaxLength)
            return $"The identity verification can be at most {VerificationMaxLength} characters.";
        return null;
    }

    /// <summary>Null when HR may extend the due date to <paramref name="newDueAt"/> now, else the message to show.</summary>
    public string? ExtensionRefusal(DateTimeOffset newDueAt, string? reason, DateTimeOffset now)
    {
        if (!IsOpen) return "This request is already answered.";
        if (ExtendedAt is not null) return "The due date of a request can be extended only once.";
        if (now > DueAt) return "The first month has passed; the due date can no longer be extended.";
        if (newDueAt <= DueAt) return "The new due date must be later than the current one.";
        if (newDueAt > ReceivedAt.AddMonths(1 + MaxExtensionMonths))
            return $"A due date can be extended by at most {MaxExtensionMonths} further months (Art. 12(3)).";
        if (string.IsNullOrWhiteSpace(reason)) return "Give the reason; it is sent to the jobseeker.";
        if (reason.Trim().Length > AnswerMaxLength) return $"The reason can be at most {AnswerMaxLength} characters.";
        return null;
    }

    public void Extend(DateTimeOffset newDueAt, string reason, DateTimeOffset now)
    {
        if (ExtensionRefusal(newDueAt, reason, now) is { } refusal)
            throw new InvalidOperationException(refusal);
        DueAt = newDueAt;
        ExtendedAt = now;
        ExtensionReason = reason.Trim();
    }

    public void MarkEnqueued(DateTimeOffset now) => EnqueuedAt = now;

    public void Start(DateTimeOffset now)
    {
        if (Status is RequestStatus.Received or RequestStatus.OnHold)
            Status = RequestStatus.InProgress;
        StartedAt ??= now;
    }

    public void Complete(DateTimeOffset now, string? answer = null, string? resultCounts = null)
    {
        Status = RequestStatus.Completed;
        CompletedAt ??= now;
        if (answer is not null) Answer = Limit(answer);
        if (resultCounts is not null) ResultCounts = resultCounts;
    }

    public void Refuse(string answer, DateTimeOffset now)
    {
        Status = RequestStatus.Refused;
        CompletedAt ??= now;
        Answer = Limit(answer);
    }

    /// <summary>An erasure a legal hold covers: the jobseeker is told why; the reconcile job resumes it when the hold ends.</summary>
    public void PutOnHold(string answer, DateTimeOffset now)
    {
        Status = RequestStatus.OnHold;
        Answer = Limit(answer);
        EnqueuedAt = null;
        StartedAt = null;
        _ = now;
    }

    /// <summary>The counts an erasure recorded before deleting anything, so that a retried run reports the same.</summary>
    public void RecordCounts(string resultCounts) => ResultCounts ??= resultCounts;

    public void AttachExport(string blobName, long size, DateTimeOffset expiresAt)
    {
        ExportBlobName = blobName;
        ExportSize = size;
        ExportExpiresAt = expiresAt;
    }

    public void ForgetExport()
    {
        ExportBlobName = null;
        ExportSize = null;
    }

    public void MarkReceiptSent(DateTimeOffset now) => ReceiptSentAt ??= now;

    /// <summary>Erasure of the subject: what stays is the tombstone (type, times, status, counts).</summary>
    public void Anonymise()
    {
        ApplicantId = null;
        ApplicationId = null;
        Details = null;
        ExtensionReason = null;
        IdentityVerification = null;
        Answer = null;
        ExportBlobName = null;
        ExportSize = null;
    }

    /// <summary>Rectification, restriction, objection and questions are answered by HR; access and erasure run by themselves.</summary>
    public bool AnsweredByHr => !RunsByItself;

    /// <summary>Null when HR may answer this request now with <paramref name="answer"/>, else the message to show.</summary>
    public string? AnswerRefusal(string? answer)
    {
        if (!AnsweredByHr) return "This request is carried out by the system; it cannot be answered by hand.";
        if (!IsOpen) return "This request is already answered.";
        if (string.IsNullOrWhiteSpace(answer)) return "Write the answer; it is sent to the jobseeker.";
        if (answer.Trim().Length > AnswerMaxLength) return $"The answer can be at most {AnswerMaxLength} characters.";
        return null;
    }

    private static string Limit(string text) =>
        text.Trim().Length > AnswerMaxLength ? throw new ArgumentException($"At most {AnswerMaxLength} characters.") : text.Trim();
}
