using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

[Route("account")]
public sealed class AccountController(SignInManager<AppUser> signIn, TimeProvider time) : Controller
{
    [HttpGet("login")]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    /// <summary>One answer for an unknown address, a wrong password and a locked account, so the form tells
    /// nobody which addresses have accounts (and AppSignInManager takes as long for each).</summary>
    public const string SignInRefused =
        "The email or password is not right, the address is not confirmed yet (open the link we mailed you), " +
        "or sign-in is paused for a while after several failed attempts.";

    [HttpPost("login")]
    [EnableRateLimiting(RateLimits.SignIn)]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (!ModelState.IsValid)
            return View(form);
        var result = await signIn.PasswordSignInAsync(form.Email, form.Password, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", SignInRefused);
            form.Password = "";
            return View(form);
        }

        var user = await signIn.UserManager.FindByNameAsync(form.Email);
        if (user is not null)
        {
            user.LastSignInAt = time.GetUtcNow();
            await signIn.UserManager.UpdateAsync(user);
        }
        return Url.IsLocalUrl(form.ReturnUrl) ? LocalRedirect(form.ReturnUrl) : Redirect("/");
    }

    [HttpPost("logout")]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return Redirect("/");
    }

    [HttpGet("forgot-password")]
    public IActionResult ForgotPassword() => View(new ForgotPasswordForm());

    /// <summary>Mails a reset link if the address has an account; the answer is the same page either way.</summary>
    [HttpPost("forgot-password")]
    [EnableRateLimiting(RateLimits.PasswordReset)]
    public async Task<IActionResult> ForgotPassword(ForgotPasswordForm form, [FromServices] PasswordResets resets,
        CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
            return View(form);
        await resets.RequestAsync(form.Email, cancellationToken);
        return View("ForgotPasswordSent");
    }

    [HttpGet("set-password")]
    public IActionResult SetPassword(Guid userId, string code) => View(new SetPasswordForm { UserId = userId, Code = code });

    /// <summary>Where a staff invitation link and a password-reset link lead: choosing a password activates the
    /// account, and (the reset changes the security stamp) ends every session it had.</summary>
    [HttpPost("set-password")]
    [EnableRateLimiting(RateLimits.PasswordReset)]
    public async Task<IActionResult> SetPassword(SetPasswordForm form)
    {
        if (!ModelState.IsValid)
            return View(form);
        var user = await signIn.UserManager.FindByIdAsync(form.UserId.ToString());
        var token = LinkToken(form.Code);
        var result = user is null || token is null ? null : await signIn.UserManager.ResetPasswordAsync(user, token, form.Password);
        if (result is not { Succeeded: true })
        {
            var errors = result?.Errors.Where(e => e.Code.StartsWith("Password")).Select(e => e.Description).ToList() ?? [];
            ModelState.AddModelError("", errors.Count > 0 ? string.Join(" ", errors) : "This link is wrong or has expired (each works once). Ask for a new one under \"Forgot your password?\" on the sign-in page.");
            return View(form);
        }
        user!.EmailConfirmed = true; // the link reached the mailbox
        // Whoever asked to move the account elsewhere may have known the old password: that change ends here.
        user.ClearPendingEmail();
        await signIn.UserManager.UpdateAsync(user);
        TempData["Message"] = "Your password is set. Please sign in.";
        return Redirect("/account/login");
    }

    [Authorize]
    [HttpGet("password")]
    public IActionResult ChangePassword() => View(new ChangePasswordForm());

    /// <summary>Needs the current password (counted towards lockout); ends every other session of the account at its
    /// next request (the new security stamp, SessionCheck) and keeps this one signed in with a fresh cookie.</summary>
    [Authorize]
    [HttpPost("password")]
    [EnableRateLimiting(RateLimits.SignIn)]
    public async Task<IActionResult> ChangePassword(ChangePasswordForm form)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
            return NotFound();
        if (ModelState.IsValid)
        {
            var check = await signIn.CheckPasswordSignInAsync(user, form.CurrentPassword, lockoutOnFailure: true);
            if (!check.Succeeded)
                ModelState.AddModelError(nameof(form.CurrentPassword), check.IsLockedOut
                    ? "Too many failed attempts. Please try again later."
                    : "The current password is not right.");
        }
        if (ModelState.IsValid)
        {
            // An address change asked for with the old password is dropped with it (saved by ChangePasswordAsync).
            user.ClearPendingEmail();
            var changed = await signIn.UserManager.ChangePasswordAsync(user, form.CurrentPassword, form.NewPassword);
            if (changed.Succeeded)
            {
                await signIn.RefreshSignInAsync(user);
                TempData["Message"] = "Your password is changed. Any other place you were signed in has been signed out.";
                return Redirect("/account/password");
            }
            foreach (var error in changed.Errors)
                ModelState.AddModelError(nameof(form.NewPassword), error.Description);
        }
        return View(new ChangePasswordForm());
    }

    /// <summary>The mailed link opens this page only: mail scanners open links too, so only its button confirms.</summary>
    [HttpGet("confirm-email")]
    public async Task<IActionResult> ConfirmEmail(Guid userId, string code) =>
        View(new ConfirmEmailForm { UserId = userId, Code = code, NeedsPassword = await NeedsPasswordAsync(userId) });

    /// <summary>Confirms the address; a new account's first confirmation also signs in (AppSignInManager.ConfirmFromLinkAsync).</summary>
    [HttpPost("confirm-email")]
    [EnableRateLimiting(RateLimits.PasswordReset)]
    public async Task<IActionResult> ConfirmEmail(ConfirmEmailForm form, [FromServices] AppSignInManager links)
    {
        var user = await signIn.UserManager.FindByIdAsync(form.UserId.ToString());
        var token = LinkToken(form.Code);
        var outcome = user is null || token is null
            ? LinkSignIn.BadLink
            : await links.ConfirmFromLinkAsync(user, token, form.Password, time.GetUtcNow());
        switch (outcome)
        {
            case LinkSignIn.SignedIn:
                TempData["Message"] = "Thank you: your email address is confirmed, and you are signed in.";
                return Redirect("/my/applications");
            case LinkSignIn.Confirmed:
                var signedIn = User.Identity?.IsAuthenticated == true;
                TempData["Message"] = signedIn ? "Your email address is confirmed." : "Your email address is confirmed. Please sign in.";
                return Redirect(signedIn ? "/my/data" : "/account/login");
            case LinkSignIn.WrongPassword:
                ModelState.AddModelError(nameof(form.Password),
                    "This is not the password chosen when applying, or confirming is paused for a while after several failed attempts.");
                form.Password = "";
                form.NeedsPassword = true;
                return View(form);
            default:
                return View("ConfirmEmailFailed");
        }
    }

    private async Task<bool> NeedsPasswordAsync(Guid userId) =>
        await signIn.UserManager.FindByIdAsync(userId.ToString()) is { } user && !AccountActivation.IsActivated(user);

    /// <summary>The link mailed to a new address opens this page only: mail scanners open links too, so only its button changes anything.</summary>
    [HttpGet("email/confirm")]
    public IActionResult ConfirmEmailChange(Guid userId, string code) => View(new ConfirmEmailChangeForm { UserId = userId, Code = code });

    /// <summary>
    /// Moves the account to the address the link was mailed to (<see cref="EmailChanges"/>). The new security stamp
    /// ends every session; this browser's goes on if it is the account's own.
    /// </summary>
    [HttpPost("email/confirm")]
    [EnableRateLimiting(RateLimits.PasswordReset)]
    public async Task<IActionResult> ConfirmEmailChange(ConfirmEmailChangeForm form, [FromServices] EmailChanges changes,
        CancellationToken cancellationToken)
    {
        var token = LinkToken(form.Code);
        var outcome = token is null ? EmailChangeConfirmation.BadLink : await changes.ConfirmAsync(form.UserId, token, cancellationToken);
        switch (outcome)
        {
            case EmailChangeConfirmation.Changed:
                if (User.UserId() == form.UserId && await signIn.UserManager.FindByIdAsync(form.UserId.ToString()) is { } user)
                {
                    await signIn.RefreshSignInAsync(user);
                    TempData["Message"] = "Your email address is changed; sign in with it from now on. Any other place you were signed in has been signed out.";
                    return Redirect("/my/data");
                }
                TempData["Message"] = "Your email address is changed. Please sign in with it.";
                return Redirect("/account/login");
            case EmailChangeConfirmation.NoticeNotSent:
                ModelState.AddModelError("", "We are still sending a notice of this change to your current address. Please press the button again in a minute.");
                return View(form);
            case EmailChangeConfirmation.AddressTaken:
                return View("ConfirmEmailChangeFailed", "This address cannot be used for your account any more. Nothing has changed: you still sign in with your current address.");
            default:
                return View("ConfirmEmailChangeFailed", "This link is wrong, has been used, or has expired. Nothing has changed. You can ask for a new one under My data.");
        }
    }

    /// <summary>A new confirmation link, for a signed-in user who lost the first (rights actions need a confirmed address).</summary>
    [Authorize]
    [HttpPost("confirm-email/resend")]
    public async Task<IActionResult> ResendConfirmation(string? returnUrl, [FromServices] EmailConfirmations confirmations,
        CancellationToken cancellationToken)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
            return NotFound();
        await confirmations.ResendAsync(user, cancellationToken);
        TempData["Message"] = user.EmailConfirmed
            ? "Your email address is already confirmed."
            : "We have sent you a new confirmation link. Open it, then come back here.";
        return Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : Redirect("/");
    }

    /// <summary>The Identity token carried base64url-encoded in a mailed link; null when the link was mangled.</summary>
    private static string? LinkToken(string? code)
    {
        if (string.IsNullOrEmpty(code)) return null;
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
