using System.Text;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Rights;

/// <summary>
/// Art. 18(3): the jobseeker is told before the restriction is lifted. Rendering only reads; the lifting (and its
/// audit row) happens in <see cref="AfterSentAsync"/>, which the job saves with the sent mark once the mail has gone.
/// If the send fails, nothing is saved and the application stays restricted until a retry succeeds.
/// </summary>
public sealed class RestrictionLiftingMail(RecruitingDbContext db, IPortalLinks links, TimeProvider time) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.RestrictionLifting;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var facts = await RequestMailFacts.ReadAsync(db, notification.RequestId, cancellationToken);
        if (facts is null) return null;
        var request = facts.Request;
        var application = await RestrictedApplicationAsync(request, cancellationToken);
        if (application is null)
            return null; // deleted meanwhile, or no longer restricted: nothing to lift, nothing to tell

        var body = new StringBuilder()
            .AppendLine($"Dear {facts.FullName},")
            .AppendLine()
            .AppendLine($"The processing of your application for \"{application.JobPosting.Title}\" has been restricted since your request of {MailText.Day(request.ReceivedAt)}.")
            .AppendLine("We are now lifting that restriction: from this message on, the recruiters handling the position can see and process your application again.")
            .AppendLine()
            .AppendLine($"You can still withdraw your application, object to its processing or have your data deleted: {links.MyApplications()}")
            .AppendLine($"Questions about your data: {links.PrivacyContact()}")
            .ToString();
        return new OutgoingMail(notification.Id, facts.Email, "The restriction on your application is being lifted", body);
    }

    /// <summary>Only after the mail went: the restriction ends, audited as the system's.</summary>
    public async Task AfterSentAsync(Notification notification, CancellationToken cancellationToken)
    {
        var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == notification.RequestId, cancellationToken);
        if (request is null || await RestrictedApplicationAsync(request, cancellationToken) is not { } application)
            return;
        application.LiftRestriction();
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.RestrictionLifted, AuditEvent.SystemActor, null, time.GetUtcNow(),
            requestId: request.Id, applicantId: request.ApplicantId, applicationId: application.Id));
    }

    private Task<JobApplication?> RestrictedApplicationAsync(DataSubjectRequest request, CancellationToken cancellationToken) =>
        db.Applications.Include(a => a.JobPosting)
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.ApplicantId == request.ApplicantId && a.IsRestricted,
                cancellationToken);
}
