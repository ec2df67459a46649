using Microsoft.AspNetCore.Identity;

namespace Recruiting.Core.Identity;

/// <summary>A sign-in account. Identity marks its own personal-data properties (email, user name, phone).</summary>
public class AppUser : IdentityUser<Guid>
{
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Drives the account-inactivity rule of retention.</summary>
    public DateTimeOffset? LastSignInAt { get; set; }
}
