using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;

namespace Recruiting.Core.Applications;

public enum ApplicationStatus { Received, Screening, Interview, Offer, Hired, Rejected, Withdrawn }

/// <summary>GDPR Art. 6(1) bases this portal processes under.</summary>
public enum LegalBasis
{
    /// <summary>Art. 6(1)(b): steps taken at the applicant's request before entering into a contract.</summary>
    Agreement,
    Consent,
    LegitimateInterest,
}

public class JobApplication
{
    public const int CoverLetterMaxLength = 10_000;
    public const int MaxFurtherDocuments = 3;

    private readonly List<ApplicationDocument> _documents = [];

    private JobApplication() { }

    public Guid Id { get; private set; }
    public Guid ApplicantId { get; private set; }
    public Applicant Applicant { get; private set; } = null!;
    public Guid JobPostingId { get; private set; }
    public JobPosting JobPosting { get; private set; } = null!;
    public ApplicationStatus Status { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }

    /// <summary>When it was rejected or hired; the retention clock runs from here.</summary>
    public DateTimeOffset? DecisionAt { get; private set; }

    /// <summary>When the applicant withdrew it; the retention clock of withdrawn applications runs from here.</summary>
    public DateTimeOffset? WithdrawnAt { get; private set; }

    /// <summary>The applicant restricted processing: staff no longer list or open it.</summary>
    public bool IsRestricted { get; private set; }

    /// <summary>A legal hold protects it from deletion (kept in step by the legal-hold feature).</summary>
    public bool OnLegalHold { get; private set; }

    /// <summary>The applicant consented to being kept in the talent pool.</summary>
    public bool InTalentPool { get; private set; }

    [PersonalData] public string CoverLetter { get; private set; } = "";

    /// <summary>The privacy notice version shown when the application was submitted.</summary>
    public string NoticeVersion { get; private set; } = "";
    public LegalBasis LegalBasis { get; private set; }

    /// <summary>When this application's data is to be deleted; null until a retention rule applies.</summary>
    public DateTimeOffset? DeletionDueAt { get; private set; }

    /// <summary>The outcome whose retention period set <see cref="DeletionDueAt"/>.</summary>
    public Applications.RetentionOutcome? DeletionOutcome { get; private set; }

    /// <summary>When the applicant was warned of <see cref="DeletionDueAt"/>; cleared when the date moves.</summary>
    public DateTimeOffset? DeletionWarnedAt { get; private set; }

    public IReadOnlyCollection<ApplicationDocument> Documents => _documents;

    public static JobApplication Submit(Applicant applicant, JobPosting posting, string coverLetter,
        string noticeVersion, DateTimeOffset now)
    {
        if (!posting.AcceptsApplications)
            throw new InvalidOperationException("This posting does not accept applications.");
        return new JobApplication
        {
            Id = Guid.NewGuid(),
            ApplicantId = applicant.Id,
            JobPostingId = posting.Id,
            Status = ApplicationStatus.Received,
            SubmittedAt = now,
            CoverLetter = coverLetter.Trim(),
            NoticeVersion = noticeVersion,
            // Applications are always taken as steps before a contract; consent is asked separately, for other purposes.
            LegalBasis = LegalBasis.Agreement,
        };
    }

    private static readonly Dictionary<ApplicationStatus, ApplicationStatus> NextStep = new()
    {
        [ApplicationStatus.Received] = ApplicationStatus.Screening,
        [ApplicationStatus.Screening] = ApplicationStatus.Interview,
        [ApplicationStatus.Interview] = ApplicationStatus.Offer,
        [ApplicationStatus.Offer] = ApplicationStatus.Hired,
    };

    /// <summary>Still in the pipeline: neither decided nor withdrawn.</summary>
    public bool IsOpen => IsOpenStatus(Status);

    /// <summary>Whether an application in <paramref name="status"/> is still in the pipeline (for read models).</summary>
    public static bool IsOpenStatus(ApplicationStatus status) => NextStep.ContainsKey(status);

    /// <summary>The statuses staff may move it to from here: the next step, or Rejected while it is open.</summary>
    public IReadOnlyList<ApplicationStatus> AllowedMoves =>
        NextStep.TryGetValue(Status, out var next) ? [next, ApplicationStatus.Rejected] : [];

    /// <summary>Null when <paramref name="next"/> is allowed from the current status, else the message to show.</summary>
    public string? MoveRefusal(ApplicationStatus next) =>
        AllowedMoves.Contains(next) ? null
        : IsOpen ? $"An application in {Status} can move only to {string.Join(" or ", AllowedMoves)}, not to {next}."
        : $"This application is {Status}; its status can no longer change.";

    /// <summary>A staff decision along the pipeline. Rejected and Hired record the decision time (the retention clock).</summary>
    public void MoveTo(ApplicationStatus next, DateTimeOffset now)
    {
        if (MoveRefusal(next) is { } refusal)
            throw new InvalidOperationException(refusal);
        Status = next;
        if (next is ApplicationStatus.Rejected or ApplicationStatus.Hired)
            DecisionAt = now;
    }

    public void Withdraw(DateTimeOffset now)
    {
        if (!IsOpen)
            throw new InvalidOperationException($"This application is {Status}; it can no longer be withdrawn.");
        Status = ApplicationStatus.Withdrawn;
        WithdrawnAt = now;
    }

    /// <summary>Stores what the retention rule and the legal holds say now (kept in step by <c>DueDates</c>).</summary>
    public void SetRetention(DateTimeOffset? dueAt, Applications.RetentionOutcome? outcome, bool onLegalHold)
    {
        if (dueAt != DeletionDueAt)
            DeletionWarnedAt = null; // a new date deserves a new warning
        DeletionDueAt = dueAt;
        DeletionOutcome = outcome;
        OnLegalHold = onLegalHold;
    }

    public void MarkDeletionWarned(DateTimeOffset now) => DeletionWarnedAt = now;

    /// <summary>Art. 18: staff stop listing and opening it until HR lifts the restriction.</summary>
    public void Restrict() => IsRestricted = true;

    public void LiftRestriction() => IsRestricted = false;

    /// <summary>Kept in step with the applicant's talent-pool consent records for this application.</summary>
    public void SetTalentPool(bool inPool) => InTalentPool = inPool;

    /// <summary>A CV may be replaced while the application is still under review (Art. 16).</summary>
    public bool CvReplaceable => IsOpen;

    /// <summary>Swaps the CV's row for a new one; returns the old document, whose blob the caller deletes after saving.</summary>
    public ApplicationDocument? ReplaceCv(string blobName, string originalFileName, string contentType, long size, string sha256,
        DateTimeOffset now)
    {
        if (!CvReplaceable)
            throw new InvalidOperationException($"This application is {Status}; its CV can no longer be replaced.");
        var old = _documents.SingleOrDefault(d => d.Kind == DocumentKind.Cv);
        if (old is not null)
            _documents.Remove(old);
        AttachDocument(DocumentKind.Cv, blobName, originalFileName, contentType, size, sha256, now);
        return old;
    }

    public ApplicationDocument AttachDocument(DocumentKind kind, string blobName, string originalFileName,
        string contentType, long size, string sha256, DateTimeOffset now)
    {
        if (kind == DocumentKind.Cv && _documents.Any(d => d.Kind == DocumentKind.Cv))
            throw new InvalidOperationException("An application has one CV.");
        if (kind == DocumentKind.Other && _documents.Count(d => d.Kind == DocumentKind.Other) >= MaxFurtherDocuments)
            throw new InvalidOperationException($"At most {MaxFurtherDocuments} further documents.");
        var document = new ApplicationDocument(Id, kind, blobName, originalFileName, contentType, size, sha256, now);
        _documents.Add(document);
        return document;
    }
}
