using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Recruiting.Core.Identity;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

[Route("account")]
public sealed class AccountController(SignInManager<AppUser> signIn, TimeProvider time) : Controller
{
    [HttpGet("login")]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [HttpPost("login")]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (!ModelState.IsValid)
            return View(form);
        var result = await signIn.PasswordSignInAsync(form.Email, form.Password, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", result.IsLockedOut
                ? "Too many failed attempts. Please try again later."
                : "The email or password is not right.");
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

    [HttpGet("set-password")]
    public IActionResult SetPassword(Guid userId, string code) => View(new SetPasswordForm { UserId = userId, Code = code });

    /// <summary>Where a staff invitation link leads: choosing a password activates the account.</summary>
    [HttpPost("set-password")]
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
            ModelState.AddModelError("", errors.Count > 0 ? string.Join(" ", errors) : "This link is wrong or has expired. Ask HR for a new invitation.");
            return View(form);
        }
        user!.EmailConfirmed = true; // the link reached the mailbox
        await signIn.UserManager.UpdateAsync(user);
        TempData["Message"] = "Your password is set. Please sign in.";
        return Redirect("/account/login");
    }

    [HttpGet("confirm-email")]
    public async Task<IActionResult> ConfirmEmail(Guid userId, string code)
    {
        var user = await signIn.UserManager.FindByIdAsync(userId.ToString());
        var token = LinkToken(code);
        var confirmed = user is not null && token is not null && (await signIn.UserManager.ConfirmEmailAsync(user, token)).Succeeded;
        return View(confirmed);
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
