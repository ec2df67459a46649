using System.Text;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Rights;

/// <summary>
/// HR's answer: completed (an objection: upheld), refused with the reason, or, from the erasure job, on hold
/// under Art. 17(3)(e) with HR's reason. Refusals name the right to complain (Art. 12(4)).
/// </summary>
public sealed class RequestAnsweredMail(RecruitingDbContext db, IPortalLinks links) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.RequestAnswered;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var facts = await RequestMailFacts.ReadAsync(db, notification.RequestId, cancellationToken);
        if (facts is null) return null;
        var request = facts.Request;

        var about = $"your request ({RequestWords.Of(request.Type)}) of {MailText.Day(request.ReceivedAt)}";
        var (outcome, answerHeading) = request.Status switch
        {
            RequestStatus.Completed => ($"We have dealt with {about}.", "Our answer:"),
            RequestStatus.Refused => ($"We have refused {about}.", "Our reason:"),
            RequestStatus.OnHold => ($"We cannot carry out {about} yet, so it is on hold. We will carry it out, without you asking again, as soon as the reason below no longer applies.",
                "The reason:"),
            _ => ($"We are still handling {about}.", "Our note:"),
        };
        var body = new StringBuilder()
            .AppendLine($"Dear {facts.FullName},")
            .AppendLine()
            .AppendLine(outcome);
        if (request.Answer is not null)
            body.AppendLine().AppendLine(answerHeading).AppendLine(request.Answer);
        if (request.Status is RequestStatus.Refused or RequestStatus.OnHold)
            body.AppendLine()
                .AppendLine($"If you disagree, you can complain to a data protection authority (our privacy notice names it: {links.Privacy()}) or go to court.");
        body.AppendLine()
            .AppendLine($"To ask us anything else about your data: {links.PrivacyContact()}");
        return new OutgoingMail(notification.Id, facts.Email, "Our answer to your request", body.ToString());
    }
}
