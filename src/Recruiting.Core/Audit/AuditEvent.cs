namespace Recruiting.Core.Audit;

public enum AuditAction
{
    RequestFiled, RequestStarted, RequestCompleted, RequestRefused, RequestOnHold, RequestExtended,
    ExportCreated, ExportDownloaded, ExportDeleted,
    ErasureCompleted,
    ContactDetailsCorrected, CvReplaced,
    RestrictionApplied, RestrictionLifted,
    /// <summary>HR decided to lift a restriction; it is lifted (RestrictionLifted) once the jobseeker has been told (Art. 18(3)).</summary>
    RestrictionLiftOrdered,
    ConsentGiven, ConsentWithdrawn,
    LegalHoldPlaced, LegalHoldLifted,
    /// <summary>HR saved a retention policy version; Counts names the version row, which holds who, when, old and new values.</summary>
    RetentionPolicyChanged,
}

/// <summary>
/// One accountable event: what happened, to which opaque ids, by whom (role and user id), when, with counts.
/// Built only from ids, enums and counts, so it can hold no personal data and survives the subject's erasure.
/// </summary>
public class AuditEvent
{
    private AuditEvent() { }

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public AuditAction Action { get; private set; }

    /// <summary>Jobseeker, Recruiter, HR, or System for jobs.</summary>
    public string ActorRole { get; private set; } = "";
    public Guid? ActorUserId { get; private set; }
    public Guid? RequestId { get; private set; }
    public Guid? ApplicantId { get; private set; }
    public Guid? ApplicationId { get; private set; }

    /// <summary>Counts per kind or names of changed fields ("documents=3", "fields=Phone,Address"); never values.</summary>
    public string? Counts { get; private set; }

    public const string SystemActor = "System";

    public static AuditEvent Record(AuditAction action, string actorRole, Guid? actorUserId, DateTimeOffset now,
        Guid? requestId = null, Guid? applicantId = null, Guid? applicationId = null, IReadOnlyDictionary<string, int>? counts = null,
        IEnumerable<string>? fields = null) =>
        new()
        {
            Action = action, ActorRole = actorRole, ActorUserId = actorUserId, At = now,
            RequestId = requestId, ApplicantId = applicantId, ApplicationId = applicationId,
            Counts = counts is not null ? FormatCounts(counts)
                : fields is not null ? "fields=" + string.Join(",", fields) : null,
        };

    /// <summary>A retention policy change: ids and the names of the changed periods only (the version row holds the values).</summary>
    public static AuditEvent PolicyChanged(string actorRole, Guid actorUserId, DateTimeOffset now, Guid policyId, Guid? postingId,
        int version, IEnumerable<string> changedFields) =>
        new()
        {
            Action = AuditAction.RetentionPolicyChanged, ActorRole = actorRole, ActorUserId = actorUserId, At = now,
            Counts = $"policy={policyId}; posting={(postingId is { } p ? p.ToString() : "default")}; version={version}; "
                     + "fields=" + string.Join(",", changedFields),
        };

    public static string FormatCounts(IReadOnlyDictionary<string, int> counts) =>
        string.Join("; ", counts.Select(c => $"{c.Key}={c.Value}"));
}
