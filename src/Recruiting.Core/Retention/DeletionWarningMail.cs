using System.Text;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;
using Recruiting.Core.Consent;

namespace Recruiting.Core.Retention;

/// <summary>
/// Retention, before deletion: the date its data is deleted (read now, so a date that moved since is the one told),
/// in words that fit the outcome, with what the applicant can do: the talent-pool opt-in on My data after a
/// rejection, a withdrawal or no decision; the one-click renewal when the talent-pool consent is what ends; nothing
/// for the hired. Nothing is sent once it is deleted, restricted, or no longer due.
/// </summary>
public sealed class DeletionWarningMail(RecruitingDbContext db, IPortalLinks links, ConsentRenewalLinks renewal) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.DeletionWarning;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var facts = await db.Applications
            .Where(a => a.Id == notification.ApplicationId && a.DeletionDueAt != null && a.DeletionOutcome != null && !a.IsRestricted)
            .Select(a => new
            {
                a.Id, a.Applicant.FullName, a.Applicant.Email, a.JobPosting.Title, DueAt = a.DeletionDueAt!.Value,
                Outcome = a.DeletionOutcome!.Value,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (facts is null) return null;

        var body = new StringBuilder()
            .AppendLine($"Dear {facts.FullName},")
            .AppendLine()
            .AppendLine(facts.Outcome switch
            {
                RetentionOutcome.Rejected =>
                    $"Your application for \"{facts.Title}\" was not taken further. As our privacy notice says, we keep its data only for a limited time:",
                RetentionOutcome.Withdrawn =>
                    $"You withdrew your application for \"{facts.Title}\". As our privacy notice says, we keep its data only for a limited time:",
                RetentionOutcome.Hired =>
                    $"Congratulations again on the position \"{facts.Title}\". The recruitment is over, and as our privacy notice says, "
                    + "we keep the application's data only for a limited time (what your employment needs is kept in your employee file, not here):",
                RetentionOutcome.TalentPool =>
                    $"You asked us to keep your application for \"{facts.Title}\" for future openings. That consent ends soon:",
                _ =>
                    $"We have not come to a decision on your application for \"{facts.Title}\", and as our privacy notice says, "
                    + "we keep its data only for a limited time:",
            })
            .AppendLine($"it will be deleted on {MailText.Day(facts.DueAt)}, with its documents.")
            .AppendLine();
        switch (facts.Outcome)
        {
            case RetentionOutcome.TalentPool:
                // A signed link that lives until the deletion date; opening it only shows a button (mail scanners open links).
                body.AppendLine("To stay in the talent pool, renew your consent with one click:")
                    .AppendLine(links.TalentPoolRenewal(renewal.CreateToken(facts.Id, facts.DueAt)))
                    .AppendLine()
                    .AppendLine($"You can withdraw the consent instead under My data: {links.MyData()}")
                    .AppendLine();
                break;
            case RetentionOutcome.Hired:
                break;
            default:
                body.AppendLine("If you would like us to keep your application for future openings instead, you can say so under My data")
                    .AppendLine($"(\"Keep my application for future openings\"): {links.MyData()}")
                    .AppendLine();
                break;
        }
        body.AppendLine("If you do nothing, your data for this application is deleted on that date.")
            .AppendLine($"How we handle your data: {links.Privacy()}");
        var subject = facts.Outcome == RetentionOutcome.TalentPool
            ? "Your place in our talent pool ends soon"
            : "Your application data will be deleted soon";
        return new OutgoingMail(notification.Id, facts.Email, subject, body.ToString());
    }
}
