using Microsoft.AspNetCore.Identity;

namespace Recruiting.Core.Identity;

/// <summary>A sign-in account. Identity marks its own personal-data properties (email, user name, phone).</summary>
public class AppUser : IdentityUser<Guid>
{
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Drives the account-inactivity rule of retention.</summary>
    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>Lockouts in a row without a successful sign-in between them; each lasts longer (<see cref="AppUserManager"/>).</summary>
    public int ConsecutiveLockouts { get; set; }
}
