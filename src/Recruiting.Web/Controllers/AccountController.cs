using System.Text;
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
    [ValidateAntiForgeryToken]
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
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return Redirect("/");
    }

    [HttpGet("confirm-email")]
    public async Task<IActionResult> ConfirmEmail(Guid userId, string code)
    {
        var user = await signIn.UserManager.FindByIdAsync(userId.ToString());
        var confirmed = false;
        if (user is not null && !string.IsNullOrEmpty(code))
        {
            try
            {
                var token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
                confirmed = (await signIn.UserManager.ConfirmEmailAsync(user, token)).Succeeded;
            }
            catch (FormatException)
            {
                confirmed = false;
            }
        }
        return View(confirmed);
    }
}
