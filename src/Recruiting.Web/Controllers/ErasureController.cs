using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Recruiting.Web.Infrastructure;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>"Delete my data" (Art. 17): the password again, then an erasure request carried out by <see cref="ErasureJob"/>.</summary>
[Authorize(Roles = Roles.Jobseeker)]
[Route("my/data/delete")]
public sealed class ErasureController(SignInManager<AppUser> signIn, ErasureRequests erasure) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        return user is null ? NotFound() : View(await PageAsync(user, new DeleteMyDataForm(), cancellationToken));
    }

    [HttpPost("")]
    [EnableRateLimiting(RateLimits.DataRights)]
    public async Task<IActionResult> Delete(DeleteMyDataForm form, CancellationToken cancellationToken)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
            return NotFound();
        if (!user.EmailConfirmed)
            ModelState.AddModelError("", "Please confirm your email address first: we send the receipt of the deletion there.");
        else if (ModelState.IsValid)
        {
            // Counts towards lockout, so a session left open cannot be used to guess the password.
            var check = await signIn.CheckPasswordSignInAsync(user, form.Password, lockoutOnFailure: true);
            if (!check.Succeeded)
                ModelState.AddModelError(nameof(form.Password), check.IsLockedOut
                    ? "Too many failed attempts. Please try again later."
                    : "The password is not right. Nothing has been deleted.");
        }
        if (!ModelState.IsValid)
            return View(nameof(Index), await PageAsync(user, form, cancellationToken));

        var outcome = await erasure.RequestAsync(user, cancellationToken);
        if (outcome == ErasureOutcome.AlreadyRequested)
        {
            TempData["Message"] = "You have already asked us to delete your data; see its status below.";
            return RedirectToAction(nameof(Index));
        }
        await signIn.SignOutAsync();
        return RedirectToAction(nameof(Requested));
    }

    /// <summary>Shown once they are signed out.</summary>
    [AllowAnonymous]
    [HttpGet("requested")]
    public IActionResult Requested() => View();

    private async Task<DeleteMyDataForm> PageAsync(AppUser user, DeleteMyDataForm form, CancellationToken cancellationToken)
    {
        var pending = await erasure.UnfinishedOfAsync(user.Id, cancellationToken);
        form.Password = "";
        form.EmailConfirmed = user.EmailConfirmed;
        form.PendingStatus = pending?.Status;
        form.PendingReceivedAt = pending?.ReceivedAt;
        form.PendingAnswer = pending?.Answer;
        return form;
    }
}
