using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Consent;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Postings;
using Recruiting.Core.Results;
using Recruiting.Core.Retention;

namespace Recruiting.Core.Rights;

/// <summary>
/// Talent-pool consent ("Keep my application for future openings") and the marketing it allows. Each giving is a
/// new <see cref="ConsentRecord"/> with the text version; withdrawing stamps the record and keeps it.
/// <see cref="JobApplication.InTalentPool"/> follows the records. Withdrawing is one click, signed in or not.
/// </summary>
public sealed class TalentPool(RecruitingDbContext db, DueDates dueDates, TimeProvider time,
    ILogger<TalentPool> logger) : IPostingStatusHandler
{
    // How many new-opening mails were saved with a posting's opening; logged once that commits.
    private int owedOpeningMails;

    public async Task<DeskResult> GiveAsync(Guid userId, Guid applicationId, CancellationToken cancellationToken)
    {
        var application = await OwnAsync(userId, applicationId, cancellationToken);
        if (application is null)
            return DeskResult.NotFound;
        if (await ActiveFor(application.Id).AnyAsync(cancellationToken))
            return DeskResult.Done("This application is already kept for future openings.");

        var now = time.GetUtcNow();
        var consent = ConsentRecord.Give(application.ApplicantId, application.Id, ConsentPurpose.TalentPool, now);
        db.Consents.Add(consent);
        application.SetTalentPool(true);
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.ConsentGiven, Roles.Jobseeker, userId, now,
            applicantId: application.ApplicantId, applicationId: application.Id));
        // Consent keeps a decided application for the talent-pool period from now, when that ends later.
        await dueDates.SaveInStepAsync([application.Id], cancellationToken);
        logger.LogInformation("Talent-pool consent {ConsentId} given for application {ApplicationId}", consent.Id, application.Id);
        return DeskResult.Done("We keep this application for future openings and email you about new ones. You can withdraw this at any time.");
    }

    public async Task<DeskResult> WithdrawAsync(Guid userId, Guid applicationId, CancellationToken cancellationToken)
    {
        var application = await OwnAsync(userId, applicationId, cancellationToken);
        if (application is null)
            return DeskResult.NotFound;
        var withdrawn = await WithdrawAsync(await ActiveFor(application.Id).ToListAsync(cancellationToken), userId, cancellationToken);
        return DeskResult.Done(withdrawn == 0
            ? "This application was not kept for future openings."
            : "Your consent is withdrawn: this application leaves the talent pool, and we no longer email you about it.");
    }

    /// <summary>The one-click opt-out of a marketing mail: withdraws every active talent-pool consent of the applicant.</summary>
    public async Task<int> OptOutAsync(Guid applicantId, CancellationToken cancellationToken)
    {
        var userId = await db.Applicants.Where(a => a.Id == applicantId).Select(a => (Guid?)a.UserId).SingleOrDefaultAsync(cancellationToken);
        var active = await db.Consents
            .Where(c => c.ApplicantId == applicantId && c.Purpose == ConsentPurpose.TalentPool && c.WithdrawnAt == null)
            .ToListAsync(cancellationToken);
        return await WithdrawAsync(active, userId, cancellationToken);
    }

    /// <summary>
    /// The one-click renewal from the warning before a talent-pool period ends: a fresh consent record for the
    /// application, with today's text version, from which its talent-pool period runs again. Only a consent still in
    /// force is renewed: after a withdrawal, giving it again is a choice made signed in, not by whoever holds an old
    /// link. False when there is nothing to renew (the application is gone or no longer in the talent pool).
    /// </summary>
    public async Task<bool> RenewAsync(Guid applicationId, CancellationToken cancellationToken)
    {
        var application = await db.Applications.Where(a => a.Id == applicationId)
            .Select(a => new { a.Id, a.ApplicantId, a.Applicant.UserId })
            .SingleOrDefaultAsync(cancellationToken);
        if (application is null || !await ActiveFor(applicationId).AnyAsync(cancellationToken))
            return false;

        var now = time.GetUtcNow();
        var consent = ConsentRecord.Give(application.ApplicantId, application.Id, ConsentPurpose.TalentPool, now);
        db.Consents.Add(consent);
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.ConsentGiven, Roles.Jobseeker, application.UserId, now,
            applicantId: application.ApplicantId, applicationId: application.Id));
        await dueDates.SaveInStepAsync([application.Id], cancellationToken);
        logger.LogInformation("Talent-pool consent {ConsentId} renewed for application {ApplicationId}", consent.Id, application.Id);
        return true;
    }

    private async Task<int> WithdrawAsync(List<ConsentRecord> active, Guid? userId, CancellationToken cancellationToken)
    {
        if (active.Count == 0)
            return 0;
        var now = time.GetUtcNow();
        foreach (var consent in active)
        {
            consent.Withdraw(now);
            db.AuditEvents.Add(AuditEvent.Record(AuditAction.ConsentWithdrawn, Roles.Jobseeker, userId, now,
                applicantId: consent.ApplicantId, applicationId: consent.ApplicationId));
        }
        var applicationIds = active.Where(c => c.ApplicationId is not null).Select(c => c.ApplicationId!.Value).ToList();
        foreach (var application in await db.Applications.Where(a => applicationIds.Contains(a.Id)).ToListAsync(cancellationToken))
            application.SetTalentPool(false);
        var applicantId = active[0].ApplicantId;
        // Without the consent the outcome's own period applies again.
        await dueDates.SaveInStepAsync(applicationIds, cancellationToken);
        logger.LogInformation("{Count} talent-pool consents of applicant {ApplicantId} withdrawn", active.Count, applicantId);
        return active.Count;
    }

    /// <summary>
    /// When a posting opens that was not open before, everyone in the talent pool gets one new-openings mail about it
    /// (once per applicant and posting, never to someone who applied to it already, and never while any application of
    /// theirs is restricted: Art. 18 leaves only storage, and marketing to them would be processing). The mails' rows
    /// commit with the posting; the outbox hands them to Hangfire after the commit.
    /// </summary>
    public async Task StatusChangedAsync(JobPosting posting, PostingStatus before, CancellationToken cancellationToken)
    {
        if (before == PostingStatus.Open || posting.Status != PostingStatus.Open)
            return;
        var now = time.GetUtcNow();
        var recipients = await db.Applicants
            .Where(p => db.Consents.Any(c => c.ApplicantId == p.Id && c.Purpose == ConsentPurpose.TalentPool && c.WithdrawnAt == null))
            .Where(p => !db.Applications.Any(a => a.ApplicantId == p.Id && a.JobPostingId == posting.Id))
            .Where(p => !db.Applications.Any(a => a.ApplicantId == p.Id && a.IsRestricted))
            .Where(p => !db.Notifications.Any(n => n.Kind == NotificationKind.NewOpening && n.UserId == p.UserId
                                                   && n.JobPostingId == posting.Id))
            .Select(p => p.UserId)
            .Distinct()
            .ToListAsync(cancellationToken);
        db.Notifications.AddRange(recipients.Select(userId => Notification.NewOpening(userId, posting.Id, now)));
        owedOpeningMails = recipients.Count;
        await db.SaveChangesAsync(cancellationToken);
    }

    public void Committed(JobPosting posting)
    {
        if (owedOpeningMails > 0)
            logger.LogInformation("Posting {PostingId} opened; {Count} talent-pool mails owed", posting.Id, owedOpeningMails);
        owedOpeningMails = 0;
    }

    private Task<JobApplication?> OwnAsync(Guid userId, Guid applicationId, CancellationToken cancellationToken) =>
        db.Applications.SingleOrDefaultAsync(a => a.Id == applicationId && a.Applicant.UserId == userId, cancellationToken);

    private IQueryable<ConsentRecord> ActiveFor(Guid applicationId) =>
        db.Consents.Where(c => c.ApplicationId == applicationId && c.Purpose == ConsentPurpose.TalentPool && c.WithdrawnAt == null);
}
