using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;

namespace Recruiting.Core.Notifications;

/// <summary>
/// Sends <see cref="Notification"/>s. Takes only their ids; each kind's <see cref="IMailTemplate"/> reads recipient
/// and text at send time.
/// </summary>
public sealed class NotificationJob(
    RecruitingDbContext db,
    IMailSender sender,
    IEnumerable<IMailTemplate> templates,
    TimeProvider time,
    ILogger<NotificationJob> logger)
{
    /// <summary>
    /// Sends each of these that is still owed, oldest first, and marks them sent in one save. A mail that fails does not
    /// hold back the others: those sent are marked, then the job fails, and Hangfire's retry sends only what is left.
    /// </summary>
    [AutomaticRetry(Attempts = 10)]
    public async Task SendAllAsync(Guid[] notificationIds, CancellationToken cancellationToken)
    {
        // Absent rows were sent already or erased with their subject: nothing is owed for them.
        var owed = await db.Notifications
            .Where(n => notificationIds.Contains(n.Id) && n.SentAt == null)
            .OrderBy(n => n.CreatedAt)
            .ToListAsync(cancellationToken);
        var failures = new List<Exception>();
        foreach (var notification in owed)
        {
            try
            {
                await SendOneAsync(notification, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Notification {NotificationId} was not sent; it is tried again", notification.Id);
                failures.Add(ex);
            }
        }
        await db.SaveChangesAsync(CancellationToken.None); // what was sent must be marked, even when the job is stopping
        if (failures.Count > 0)
            throw new AggregateException($"{failures.Count} of {owed.Count} notifications were not sent.", failures);
    }

    /// <summary>One notification: the form jobs had before they were batched; jobs of that form may still be queued.</summary>
    [AutomaticRetry(Attempts = 10)]
    public Task SendAsync(Guid notificationId, CancellationToken cancellationToken) =>
        SendAllAsync([notificationId], cancellationToken);

    private async Task SendOneAsync(Notification notification, CancellationToken cancellationToken)
    {
        var template = templates.SingleOrDefault(t => t.Kind == notification.Kind)
                       ?? throw new InvalidOperationException($"No mail template for notification kind {notification.Kind}.");
        notification.RecordAttempt();
        var mail = await template.RenderAsync(notification, cancellationToken);
        if (mail is not null)
        {
            await sender.SendAsync(mail, cancellationToken);
            await template.AfterSentAsync(notification, cancellationToken);
        }
        else
            logger.LogInformation("Notification {NotificationId} ({Kind}) has no recipient any more; marked done", notification.Id, notification.Kind);
        notification.MarkSent(time.GetUtcNow());
    }
}
