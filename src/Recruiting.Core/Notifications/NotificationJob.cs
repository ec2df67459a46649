using Hangfire;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;

namespace Recruiting.Core.Notifications;

/// <summary>
/// Sends one <see cref="Notification"/>. Takes only its id; its kind's <see cref="IMailTemplate"/> reads recipient
/// and text at send time.
/// </summary>
public sealed class NotificationJob(
    RecruitingDbContext db,
    IMailSender sender,
    IEnumerable<IMailTemplate> templates,
    TimeProvider time,
    ILogger<NotificationJob> logger)
{
    [AutomaticRetry(Attempts = 10)]
    public async Task SendAsync(Guid notificationId, CancellationToken cancellationToken)
    {
        var notification = await db.Notifications.FindAsync([notificationId], cancellationToken);
        if (notification is null || notification.IsSent)
            return; // already sent, or its subject was erased: nothing is owed

        var template = templates.SingleOrDefault(t => t.Kind == notification.Kind)
                       ?? throw new InvalidOperationException($"No mail template for notification kind {notification.Kind}.");
        var mail = await template.RenderAsync(notification, cancellationToken);

        notification.RecordAttempt();
        if (mail is not null)
        {
            await sender.SendAsync(mail, cancellationToken);
            await template.AfterSentAsync(notification, cancellationToken);
        }
        else
            logger.LogInformation("Notification {NotificationId} has no recipient any more; marked done", notification.Id);
        notification.MarkSent(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }
}
