namespace Recruiting.Core.Rights;

// The data.json of a "Download my data" ZIP (Art. 15, 20). These records ARE the documented format: serialised
// camelCase, instants as ISO 8601 with offset (UTC), enums as their names. Add fields freely; renaming or removing
// one is a breaking change and raises ExportData.CurrentFormatVersion. docs/jobseekers.md describes every field.

/// <summary>The root of data.json.</summary>
public sealed record ExportData(
    int FormatVersion,
    DateTimeOffset GeneratedAt,
    Guid RequestId,
    ExportProfile Profile,
    IReadOnlyList<ExportApplication> Applications,
    IReadOnlyList<ExportConsent> Consents,
    IReadOnlyList<ExportRequest> Requests,
    IReadOnlyList<ExportLegalHold> LegalHolds,
    IReadOnlyList<ExportAccessLogEntry> AccessLog,
    IReadOnlyList<ExportMail> Mails)
{
    public const int CurrentFormatVersion = 1;

    /// <summary>What the export holds, per kind; goes into the request's result and the audit record.</summary>
    public IReadOnlyDictionary<string, int> Counts() => new Dictionary<string, int>
    {
        ["applications"] = Applications.Count,
        ["documents"] = Applications.Sum(a => a.Documents.Count),
        ["notes"] = Applications.Sum(a => a.RecruiterNotes.Count),
        ["consents"] = Consents.Count,
        ["requests"] = Requests.Count,
        ["legalHolds"] = LegalHolds.Count,
        ["accessLog"] = AccessLog.Count,
    };
}

/// <summary>The contact details every application uses, and the sign-in account.</summary>
public sealed record ExportProfile(
    string FullName,
    string Email,
    string Phone,
    string? Address,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ExportAccount Account);

public sealed record ExportAccount(
    Guid Id,
    string? UserName,
    string? Email,
    bool EmailConfirmed,
    string? PhoneNumber,
    bool PhoneNumberConfirmed,
    bool TwoFactorEnabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt,
    // An address the account asked to move to, while its confirmation link has not been opened.
    string? PendingEmail,
    DateTimeOffset? PendingEmailRequestedAt);

public sealed record ExportApplication(
    Guid Id,
    Guid PostingId,
    string PostingTitle,
    string Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? DecisionAt,
    DateTimeOffset? WithdrawnAt,
    // Set once a retention rule applies; until then null, and RetentionRule says how it will be set.
    DateTimeOffset? DeletionDueAt,
    string RetentionRule,
    string NoticeVersion,
    string LegalBasis,
    bool Restricted,
    bool InTalentPool,
    bool OnLegalHold,
    string CoverLetter,
    IReadOnlyList<ExportDocument> Documents,
    IReadOnlyList<ExportNote> RecruiterNotes);

public sealed record ExportDocument(
    Guid Id,
    string Kind,
    string OriginalName,
    string ContentType,
    long Size,
    string Sha256,
    DateTimeOffset UploadedAt,
    // Where the bytes are in the ZIP: documents/<applicationId>/<n>-<safe name>.
    string ZipPath);

/// <summary>A recruiter's note: its text and dates, and the author's role only, never who they are.</summary>
public sealed record ExportNote(string Text, DateTimeOffset WrittenAt, DateTimeOffset? EditedAt, string AuthorRole);

public sealed record ExportConsent(
    string Purpose,
    Guid? ApplicationId,
    string TextVersion,
    string Text,
    DateTimeOffset GivenAt,
    DateTimeOffset? WithdrawnAt);

public sealed record ExportRequest(
    Guid Id,
    string Type,
    string Status,
    Guid? ApplicationId,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? ExtendedAt,
    string? ExtensionReason,
    DateTimeOffset? CompletedAt,
    string? Answer,
    string? Details,
    string Channel,
    string? IdentityVerification);

/// <summary>HR's order to keep their data for a legal claim; the reason is the one they are told when erasure is refused.</summary>
public sealed record ExportLegalHold(Guid? ApplicationId, string Reason, DateTimeOffset PlacedAt, DateTimeOffset? EndsAt,
    DateTimeOffset? LiftedAt);

/// <summary>A look at their data by staff: the role, never the person.</summary>
public sealed record ExportAccessLogEntry(Guid ApplicationId, string Role, string Action, string? DocumentKind, DateTimeOffset At);

/// <summary>A mail the portal sent (or owes) them: its kind and times; the text is not kept.</summary>
public sealed record ExportMail(string Kind, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>
/// Where each personal-data field of the model (the registry; keyed by entity display name and
/// property) appears in data.json, as a path of
/// camelCase names with [] for lists. A unit test fails when a marked field has no path here (or in
/// <see cref="NotExported"/> with the reason), or when a path names no field of the records above.
/// </summary>
public static class ExportContract
{
    public static readonly IReadOnlyDictionary<string, string> PersonalDataPaths = new Dictionary<string, string>
    {
        ["Applicant.FullName"] = "profile.fullName",
        ["Applicant.Email"] = "profile.email",
        ["Applicant.Phone"] = "profile.phone",
        ["Applicant.Address"] = "profile.address",
        ["AppUser.Id"] = "profile.account.id",
        ["AppUser.UserName"] = "profile.account.userName",
        ["AppUser.Email"] = "profile.account.email",
        ["AppUser.EmailConfirmed"] = "profile.account.emailConfirmed",
        ["AppUser.PhoneNumber"] = "profile.account.phoneNumber",
        ["AppUser.PhoneNumberConfirmed"] = "profile.account.phoneNumberConfirmed",
        ["AppUser.TwoFactorEnabled"] = "profile.account.twoFactorEnabled",
        ["AppUser.PendingEmail"] = "profile.account.pendingEmail",
        ["JobApplication.CoverLetter"] = "applications[].coverLetter",
        ["ApplicationDocument.OriginalFileName"] = "applications[].documents[].originalName",
        ["RecruiterNote.Text"] = "applications[].recruiterNotes[].text",
        ["DataSubjectRequest.Details"] = "requests[].details",
        ["DataSubjectRequest.ExtensionReason"] = "requests[].extensionReason",
        ["DataSubjectRequest.Answer"] = "requests[].answer",
        ["DataSubjectRequest.IdentityVerification"] = "requests[].identityVerification",
        ["LegalHold.Reason"] = "legalHolds[].reason",
    };

    /// <summary>Marked fields deliberately left out of data.json, each with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotExported = new Dictionary<string, string>
    {
        // Identity's authenticator keys and recovery codes: secrets that sign in as them, not facts about them; in a file
        // that is mailed about and downloaded they would only weaken the account. data.json says whether 2FA is on.
        ["IdentityUserToken<Guid>.Value"] = "a sign-in secret (authenticator key, recovery codes), not information about the person",
        // A visitor's request waiting for its link to be opened: at most a day old, deleted when used, and the address is
        // already in the profile; the request it becomes is exported.
        ["VisitorRequest.Email"] = "an unconfirmed request's copy of the address, deleted within a day; the profile holds the address",
    };
}
