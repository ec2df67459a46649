using System.Text;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Applications;

public sealed class ApplicationReceivedMail(RecruitingDbContext db, IPortalLinks links) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.ApplicationReceived;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var application = await ApplicationMailFacts.ReadAsync(db, notification.ApplicationId, cancellationToken);
        if (application is null) return null;

        var body = new StringBuilder()
            .AppendLine($"Dear {application.FullName},")
            .AppendLine()
            .AppendLine($"Thank you for applying for \"{application.PostingTitle}\". We have received your application and will review it.")
            .AppendLine()
            .AppendLine($"You can follow its status under My applications: {links.MyApplications()}")
            .AppendLine()
            .AppendLine($"How we handle your data is explained in our privacy notice: {links.Privacy()}")
            .ToString();
        return new OutgoingMail(notification.Id, application.Email, "We have received your application", body);
    }
}
