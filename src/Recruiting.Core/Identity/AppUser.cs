using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Data;

namespace Recruiting.Core.Identity;

/// <summary>A sign-in account. Identity marks its own personal-data properties (email, user name, phone).</summary>
public class AppUser : IdentityUser<Guid>
{
    public const int PendingEmailMaxLength = 256;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Drives the account-inactivity rule of retention.</summary>
    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>Lockouts in a row without a successful sign-in between them; each lasts longer (<see cref="AppUserManager"/>).</summary>
    public int ConsecutiveLockouts { get; set; }

    /// <summary>
    /// An address the account asked to move to and has not confirmed yet (<see cref="EmailChanges"/>). Until its link is
    /// opened, <see cref="IdentityUser{TKey}.Email"/> stays the address that signs in and gets mail.
    /// </summary>
    [PersonalData] public string? PendingEmail { get; private set; }

    public DateTimeOffset? PendingEmailRequestedAt { get; private set; }

    public void RequestEmailChange(string newEmail, DateTimeOffset now)
    {
        PendingEmail = newEmail;
        PendingEmailRequestedAt = now;
    }

    /// <summary>The pending address while its link still works; null once it expired (the link dies with it).</summary>
    public string? PendingEmailAt(DateTimeOffset now, TimeSpan lifetime) =>
        PendingEmailRequestedAt is { } requestedAt && now < requestedAt + lifetime ? PendingEmail : null;

    public void ClearPendingEmail()
    {
        PendingEmail = null;
        PendingEmailRequestedAt = null;
    }
}
