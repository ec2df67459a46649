using Hangfire;
using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Identity;

/// <summary>"Forgot your password": mails a reset link when the address has an account, and says nothing either way.</summary>
public sealed class PasswordResets(RecruitingDbContext db, UserManager<AppUser> users, IBackgroundJobClient jobs, TimeProvider time)
{
    public async Task RequestAsync(string email, CancellationToken cancellationToken)
    {
        // The caller answers the same whatever happens here; the difference in work (one row and one enqueue) is a
        // few milliseconds, below what a network client can tell apart from jitter, and the rate limit bounds probing.
        var user = await users.FindByEmailAsync(email);
        if (user is null)
            return;
        var now = time.GetUtcNow();
        var notification = Notification.PasswordReset(user.Id, now);
        notification.MarkEnqueued(now);
        db.Notifications.Add(notification);
        await db.SaveChangesAsync(cancellationToken);
        jobs.Enqueue<NotificationJob>(j => j.SendAsync(notification.Id, CancellationToken.None));
    }
}
