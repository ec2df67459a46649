using System.Text;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Rights;

/// <summary>
/// Art. 12(3): the new due date and HR's reason. HR can extend only before the first month ends
/// (<see cref="DataSubjectRequest.ExtensionRefusal"/>), so this mail is always owed, and queued, within it.
/// </summary>
public sealed class RequestExtendedMail(RecruitingDbContext db, IPortalLinks links) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.RequestExtended;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var facts = await RequestMailFacts.ReadAsync(db, notification.RequestId, cancellationToken);
        if (facts is null) return null;
        var request = facts.Request;

        var body = new StringBuilder()
            .AppendLine($"Dear {facts.FullName},")
            .AppendLine()
            .AppendLine($"We received your request ({RequestWords.Of(request.Type)}) on {MailText.Day(request.ReceivedAt)}. We need more time to answer it fully.")
            .AppendLine($"We will answer it by {MailText.Day(request.DueAt)} at the latest.")
            .AppendLine()
            .AppendLine("The reason:")
            .AppendLine(request.ExtensionReason)
            .AppendLine()
            .AppendLine("The GDPR (Art. 12(3)) allows us to extend the time to answer by up to two further months when a request is complex or we receive many.")
            .AppendLine($"If you disagree, you can complain to a data protection authority; our privacy notice names it: {links.Privacy()}")
            .ToString();
        return new OutgoingMail(notification.Id, facts.Email, "We need more time to answer your request", body);
    }
}
