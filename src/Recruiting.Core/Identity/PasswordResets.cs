using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Identity;

/// <summary>"Forgot your password": mails a reset link when the address has an account, and says nothing either way.</summary>
public sealed class PasswordResets(RecruitingDbContext db, UserManager<AppUser> users, TimeProvider time)
{
    public async Task RequestAsync(string email, CancellationToken cancellationToken)
    {
        // The caller answers the same whatever happens here; the difference in work (one row and one enqueue) is a
        // few milliseconds, below what a network client can tell apart from jitter, and the rate limit bounds probing.
        var user = await users.FindByEmailAsync(email);
        if (user is null)
            return;
        db.Notifications.Add(Notification.PasswordReset(user.Id, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }
}
