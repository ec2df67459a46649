using System.Text;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Consent;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;
using Recruiting.Core.Postings;

namespace Recruiting.Core.Rights;

/// <summary>
/// Marketing to the talent pool: one posting, its link, and the one-click opt-out. Nothing is sent when the
/// consent was withdrawn, or the posting closed, since the notification was made.
/// </summary>
public sealed class NewOpeningMail(RecruitingDbContext db, IPortalLinks links, OptOutLinks optOut) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.NewOpening;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var applicant = await db.Applicants
            .Where(a => a.UserId == notification.UserId)
            .Where(a => db.Consents.Any(c => c.ApplicantId == a.Id && c.Purpose == ConsentPurpose.TalentPool && c.WithdrawnAt == null))
            .Where(a => !db.Applications.Any(x => x.ApplicantId == a.Id && x.IsRestricted)) // restricted since it was owed
            .Select(a => new { a.Id, a.FullName, a.Email })
            .SingleOrDefaultAsync(cancellationToken);
        var posting = await db.JobPostings
            .Where(p => p.Id == notification.JobPostingId && p.Status == PostingStatus.Open)
            .Select(p => new { p.Id, p.Title, p.Location })
            .SingleOrDefaultAsync(cancellationToken);
        if (applicant is null || posting is null) return null;

        var body = new StringBuilder()
            .AppendLine($"Dear {applicant.FullName},")
            .AppendLine()
            .AppendLine($"A new position has opened that may interest you: \"{posting.Title}\" ({posting.Location}).")
            .AppendLine($"Read more and apply: {links.Posting(posting.Id)}")
            .AppendLine()
            .AppendLine("You get this mail because you asked us to keep your application for future openings.")
            .AppendLine("To stop these mails and withdraw that consent with one click, open:")
            .AppendLine(links.TalentPoolOptOut(optOut.CreateToken(applicant.Id)))
            .AppendLine()
            .AppendLine($"You can also withdraw it under My data: {links.MyData()}")
            .ToString();
        return new OutgoingMail(notification.Id, applicant.Email, $"New opening: {posting.Title}", body);
    }
}
