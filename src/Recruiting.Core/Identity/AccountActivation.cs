using Microsoft.AspNetCore.Identity;

namespace Recruiting.Core.Identity;

/// <summary>
/// A password signs in only to an account whose address has been proven once: confirmed from a mailed link, or
/// (accounts from before this rule, or whose address changed since) signed in before. Without it, a visitor could
/// apply with someone's address and a password of their choosing, then try that password: a sign-in would tell that
/// the address had no account before, which the apply form takes care not to tell.
/// </summary>
public sealed class AccountActivation : IUserConfirmation<AppUser>
{
    public static bool IsActivated(AppUser user) => user.EmailConfirmed || user.LastSignInAt is not null;

    public Task<bool> IsConfirmedAsync(UserManager<AppUser> manager, AppUser user) => Task.FromResult(IsActivated(user));
}
