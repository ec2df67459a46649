using Recruiting.Core.Identity;

namespace Recruiting.Core.Applications;

public enum AccessAction { ViewedApplication, DownloadedDocument }

/// <summary>
/// One look at a candidate's data by staff: who (user id and role), which application, what, when. Ids only;
/// the applicant sees these entries, and they are deleted with the applicant.
/// </summary>
public class AccessLogEntry
{
    private AccessLogEntry() { }

    public long Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public Guid ApplicantId { get; private set; }
    public Guid ActorUserId { get; private set; }
    public string ActorRole { get; private set; } = "";
    public AccessAction Action { get; private set; }
    public Guid? DocumentId { get; private set; }
    public Applications.DocumentKind? DocumentKind { get; private set; }
    public DateTimeOffset At { get; private set; }

    public static AccessLogEntry Viewed(Guid applicationId, Guid applicantId, StaffMember staff, DateTimeOffset now) =>
        new() { ApplicationId = applicationId, ApplicantId = applicantId, ActorUserId = staff.UserId, ActorRole = staff.Role,
                Action = AccessAction.ViewedApplication, At = now };

    public static AccessLogEntry Downloaded(Guid applicationId, Guid applicantId, Applications.ApplicationDocument document,
        StaffMember staff, DateTimeOffset now) =>
        new() { ApplicationId = applicationId, ApplicantId = applicantId, ActorUserId = staff.UserId, ActorRole = staff.Role,
                Action = AccessAction.DownloadedDocument, DocumentId = document.Id, DocumentKind = document.Kind, At = now };
}
