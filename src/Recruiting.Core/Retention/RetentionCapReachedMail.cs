using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Retention;

/// <summary>To HR: the newest run that stopped at the cap, with its counts; nothing personal.</summary>
public sealed class RetentionCapReachedMail(RecruitingDbContext db, IPortalLinks links) : IMailTemplate
{
    public NotificationKind Kind => NotificationKind.RetentionCapReached;

    public async Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken)
    {
        var email = await db.Users.Where(u => u.Id == notification.UserId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        if (email is null) return null;
        var run = await db.RetentionRuns.Where(r => r.Status == RetentionRunStatus.StoppedAtCap)
            .OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellationToken);
        if (run is null) return null;

        var body = new StringBuilder()
            .AppendLine($"The retention run started {run.StartedAt.UtcDateTime.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture)} UTC found more applications due for deletion than one run may delete (Retention:MaxDeletionsPerRun), so it deleted nothing.")
            .AppendLine()
            .AppendLine($"What it found: {run.Counts}")
            .AppendLine()
            .AppendLine("Check the retention policies and the run's figures, then either correct the policy or raise the cap and run it again:")
            .AppendLine(links.RetentionRuns())
            .ToString();
        return new OutgoingMail(notification.Id, email, "Retention run stopped at its cap", body);
    }
}
