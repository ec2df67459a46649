using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Data;

namespace Recruiting.Core.Identity;

public enum LinkSignIn { BadLink, WrongPassword, Confirmed, SignedIn }

/// <summary>
/// Identity's sign-in manager, made to take as long for an unknown address, a locked account or one not activated yet
/// (<see cref="AccountActivation"/>) as for a wrong password: Identity answers those without hashing, so the response
/// time would tell whether an account exists.
/// Here a password hash is verified in every case.
/// </summary>
public sealed class AppSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    RecruitingDbContext db)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>A hash of a random password, made with the app's hasher on first use, verified when there is no real one.</summary>
    private static string? _decoyHash;

    /// <summary>
    /// Signing out also changes the account's security stamp, so that a copy of the cookie (left in another browser,
    /// or stolen) stops working too (SessionCheck); it ends the account's other sessions as well.
    /// The two stamps are written by one UPDATE of this row alone, not by saving the whole user: sign-out can race an
    /// erasure job on the same account, and a save of the user as loaded here could write back what it just removed.
    /// A new concurrency stamp makes any other save of the user as loaded before fail instead of restoring the old stamp.
    /// </summary>
    public override async Task SignOutAsync()
    {
        if (UserManager.GetUserId(Context.User) is { } id && Guid.TryParse(id, out var userId))
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set
                .SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N").ToUpperInvariant())
                .SetProperty(u => u.ConcurrencyStamp, Guid.NewGuid().ToString()));
        await base.SignOutAsync();
    }

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            VerifyDecoy(password);
            return SignInResult.Failed;
        }
        // These are refused before the password is checked; hash anyway so they answer as slowly.
        if (await IsLockedOut(user) || user.PasswordHash is null || !await CanSignInAsync(user))
            VerifyDecoy(password);
        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    /// <summary>
    /// The mailed confirmation link. For an account not activated yet (<see cref="AccountActivation"/>), the link proves
    /// the mailbox and the password proves the person who applied: both are needed, so that whoever typed someone
    /// else's address cannot take the account over once its owner opens the link. Then the address is confirmed and
    /// the visitor signed in. For an activated account the link only confirms (one resent from My data).
    /// </summary>
    public async Task<LinkSignIn> ConfirmFromLinkAsync(AppUser user, string token, string? password, DateTimeOffset now)
    {
        if (AccountActivation.IsActivated(user))
            return (await UserManager.ConfirmEmailAsync(user, token)).Succeeded ? LinkSignIn.Confirmed : LinkSignIn.BadLink;

        if (!await UserManager.VerifyUserTokenAsync(user, Options.Tokens.EmailConfirmationTokenProvider,
                UserManager<AppUser>.ConfirmEmailTokenPurpose, token))
            return LinkSignIn.BadLink;
        if (await IsLockedOut(user) || string.IsNullOrEmpty(password))
            return LinkSignIn.WrongPassword;
        if (!await UserManager.CheckPasswordAsync(user, password))
        {
            await UserManager.AccessFailedAsync(user); // counts towards lockout, as on the sign-in form
            return LinkSignIn.WrongPassword;
        }

        await UserManager.ResetAccessFailedCountAsync(user);
        // The token was verified above: confirming and recording the sign-in is one save.
        user.EmailConfirmed = true;
        user.LastSignInAt = now;
        await UserManager.UpdateAsync(user);
        await SignInAsync(user, isPersistent: false);
        return LinkSignIn.SignedIn;
    }

    private void VerifyDecoy(string password)
    {
        _decoyHash ??= UserManager.PasswordHasher.HashPassword(new AppUser(), Guid.NewGuid().ToString("N"));
        UserManager.PasswordHasher.VerifyHashedPassword(new AppUser(), _decoyHash, password);
    }
}
