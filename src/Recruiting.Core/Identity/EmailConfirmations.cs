using Recruiting.Core.Data;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Identity;

/// <summary>Sends a new address-confirmation link (rights actions need a confirmed address).</summary>
public sealed class EmailConfirmations(RecruitingDbContext db, TimeProvider time)
{
    public async Task ResendAsync(AppUser user, CancellationToken cancellationToken)
    {
        if (user.EmailConfirmed)
            return;
        db.Notifications.Add(Notification.ConfirmEmail(user.Id, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }
}
