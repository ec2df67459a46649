using System.Text;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Rights;

/// <summary>The access request's ZIP is ready. The mail says where and until when; the data itself stays behind sign-in.</summary>
public sealed class ExportReadyMail(RecruitingDbContext db, IPortalLinks links) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.ExportReady;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var export = await db.Requests
            .Where(r => r.Id == notification.RequestId && r.ExportBlobName != null)
            .Join(db.Applicants, r => r.ApplicantId, a => a.Id, (r, a) => new { a.FullName, a.Email, r.ExportExpiresAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (export?.ExportExpiresAt is not { } expiresAt) return null; // expired or erased before the mail went out

        var body = new StringBuilder()
            .AppendLine($"Dear {export.FullName},")
            .AppendLine()
            .AppendLine("The copy of your data you asked for is ready. Download it from My data:")
            .AppendLine(links.MyData())
            .AppendLine()
            .AppendLine("You need to sign in to download it; the link in this mail does not open it by itself.")
            .AppendLine($"It will be deleted on {MailText.Day(expiresAt)}; you can ask for a new copy at any time.")
            .ToString();
        return new OutgoingMail(notification.Id, export.Email, "Your data is ready to download", body);
    }
}
