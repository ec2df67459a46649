using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Recruiting.Core.Identity;

/// <summary>
/// Identity's user manager with a lockout that grows: every <c>MaxFailedAccessAttempts</c> (5) wrong passwords in a
/// row lock the account for the next step of <see cref="LockoutSteps"/> (1, 5, 15, then 60 minutes for every further
/// lockout), counted in <see cref="AppUser.ConsecutiveLockouts"/> and reset by a successful sign-in. Capped at an hour
/// because anyone who knows an address can trigger it: a longer lock would hand them a denial of service.
/// Lockout times come from the injected <see cref="TimeProvider"/> (Identity's own use the wall clock).
/// </summary>
public sealed class AppUserManager(
    IUserStore<AppUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<AppUser> passwordHasher,
    IEnumerable<IUserValidator<AppUser>> userValidators,
    IEnumerable<IPasswordValidator<AppUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<AppUser>> logger,
    TimeProvider time)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public static readonly IReadOnlyList<TimeSpan> LockoutSteps =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(60)];

    public static TimeSpan LockoutFor(int consecutiveLockouts) =>
        LockoutSteps[Math.Clamp(consecutiveLockouts, 1, LockoutSteps.Count) - 1];

    private IUserLockoutStore<AppUser> LockoutStore => (IUserLockoutStore<AppUser>)Store;

    public override async Task<IdentityResult> AccessFailedAsync(AppUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        var count = await LockoutStore.IncrementAccessFailedCountAsync(user, CancellationToken);
        if (count < Options.Lockout.MaxFailedAccessAttempts)
            return await UpdateUserAsync(user);

        user.ConsecutiveLockouts++;
        Logger.LogWarning("User {UserId} locked out (lockout {Lockout} in a row)", user.Id, user.ConsecutiveLockouts);
        await LockoutStore.SetLockoutEndDateAsync(user, time.GetUtcNow() + LockoutFor(user.ConsecutiveLockouts), CancellationToken);
        await LockoutStore.ResetAccessFailedCountAsync(user, CancellationToken);
        return await UpdateUserAsync(user);
    }

    /// <summary>Called by the sign-in manager after a right password: the next lockout starts again at one minute.</summary>
    public override async Task<IdentityResult> ResetAccessFailedCountAsync(AppUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        if (user.ConsecutiveLockouts == 0 && await LockoutStore.GetAccessFailedCountAsync(user, CancellationToken) == 0)
            return IdentityResult.Success;
        user.ConsecutiveLockouts = 0;
        await LockoutStore.ResetAccessFailedCountAsync(user, CancellationToken);
        return await UpdateUserAsync(user);
    }

    public override async Task<bool> IsLockedOutAsync(AppUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        if (!await LockoutStore.GetLockoutEnabledAsync(user, CancellationToken))
            return false;
        var end = await LockoutStore.GetLockoutEndDateAsync(user, CancellationToken);
        return end >= time.GetUtcNow();
    }
}
