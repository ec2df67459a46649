using Hangfire;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Identity;

/// <summary>Sends a new address-confirmation link (rights actions need a confirmed address).</summary>
public sealed class EmailConfirmations(RecruitingDbContext db, IBackgroundJobClient jobs, TimeProvider time)
{
    public async Task ResendAsync(AppUser user, CancellationToken cancellationToken)
    {
        if (user.EmailConfirmed)
            return;
        var now = time.GetUtcNow();
        var notification = Notification.ConfirmEmail(user.Id, now);
        notification.MarkEnqueued(now);
        db.Notifications.Add(notification);
        await db.SaveChangesAsync(cancellationToken);
        // After the commit; if this process dies first, the reconcile job hands it over.
        jobs.Enqueue<NotificationJob>(j => j.SendAsync(notification.Id, CancellationToken.None));
    }
}
