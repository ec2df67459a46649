using System.Text;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Review;

public sealed class RejectionMail(RecruitingDbContext db, IPortalLinks links) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.ApplicationRejected;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var application = await ApplicationMailFacts.ReadAsync(db, notification.ApplicationId, cancellationToken);
        if (application is null) return null;

        var body = new StringBuilder()
            .AppendLine($"Dear {application.FullName},")
            .AppendLine()
            .AppendLine($"Thank you for your interest in \"{application.PostingTitle}\". After careful consideration we have decided not to take your application further.")
            .AppendLine()
            .AppendLine($"Your data for this application is kept as our privacy notice describes, then deleted: {links.Privacy()}")
            .AppendLine($"You can see it, download it or delete it earlier under My applications: {links.MyApplications()}")
            .ToString();
        return new OutgoingMail(notification.Id, application.Email, "About your application", body);
    }
}
