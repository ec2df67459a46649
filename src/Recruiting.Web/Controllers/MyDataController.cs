using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>
/// My data: what the portal holds about the signed-in jobseeker, and the rights they exercise on it. Every action
/// finds the data through the signed-in user (someone else's id answers 404); the rules live in
/// <see cref="SelfService"/> and <see cref="TalentPool"/>.
/// </summary>
[Authorize(Roles = Roles.Jobseeker)]
public sealed class MyDataController(SelfService selfService, TalentPool talentPool, TimeProvider time) : Controller
{
    [HttpGet("my/data")]
    public async Task<IActionResult> Index([FromServices] RecruitingDbContext db, CancellationToken cancellationToken)
    {
        var page = await MyDataQuery.ReadAsync(db, User.RequiredUserId(), time.GetUtcNow(), cancellationToken);
        return page is null ? NotFound() : View(page);
    }

    /// <summary>"Download my data" (Art. 15, 20): files an access request whose job builds the ZIP.</summary>
    [HttpPost("my/data/access")]
    [EnableRateLimiting(RateLimits.DataRights)]
    public async Task<IActionResult> RequestAccess(CancellationToken cancellationToken) =>
        Outcome(await selfService.RequestAccessAsync(User.RequiredUserId(), cancellationToken));

    [HttpGet("my/data/profile")]
    public async Task<IActionResult> Profile([FromServices] RecruitingDbContext db, CancellationToken cancellationToken)
    {
        var page = await MyDataQuery.ReadAsync(db, User.RequiredUserId(), time.GetUtcNow(), cancellationToken);
        if (page is null || !page.Profile.HasProfile)
            return NotFound();
        var p = page.Profile;
        return View(new ContactDetailsForm { FullName = p.FullName, Email = p.Email, Phone = p.Phone, Address = p.Address });
    }

    /// <summary>Art. 16: corrects the contact details every application uses.</summary>
    [HttpPost("my/data/profile")]
    public async Task<IActionResult> Profile(ContactDetailsForm form, [FromServices] SignInManager<AppUser> signIn,
        CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
            return View(form);
        var result = await selfService.CorrectContactDetailsAsync(User.RequiredUserId(), form.ToContact(), cancellationToken);
        if (!result.Found)
            return NotFound();
        if (result.Refusal is not null)
        {
            ModelState.AddModelError(result.Field ?? "", result.Refusal);
            return View(form);
        }
        // A new email is the new sign-in name and changes the security stamp: renew the cookie so the session goes on.
        if (await signIn.UserManager.GetUserAsync(User) is { } user)
            await signIn.RefreshSignInAsync(user);
        TempData["Message"] = result.Message;
        return Redirect("/my/data");
    }

    /// <summary>Art. 16: replaces the CV of an application still under review; checked like the apply form's.</summary>
    [HttpPost("my/applications/{id:guid}/cv")]
    [UploadLimits]
    public async Task<IActionResult> ReplaceCv(Guid id, IFormFile? cv, CancellationToken cancellationToken) =>
        Outcome(await selfService.ReplaceCvAsync(User.RequiredUserId(), id,
            cv is null ? null : new IncomingFile(cv.FileName, cv.Length, cv.OpenReadStream), cancellationToken), id);

    /// <summary>Art. 18: hides the application from staff until HR lifts the restriction.</summary>
    [HttpPost("my/applications/{id:guid}/restrict")]
    [EnableRateLimiting(RateLimits.DataRights)]
    public async Task<IActionResult> Restrict(Guid id, RestrictForm form, CancellationToken cancellationToken) =>
        Outcome(await selfService.RestrictAsync(User.RequiredUserId(), id, form.Ground, form.Reason, cancellationToken), id);

    /// <summary>Art. 21: an objection for the HR request desk.</summary>
    [HttpPost("my/applications/{id:guid}/object")]
    [EnableRateLimiting(RateLimits.DataRights)]
    public async Task<IActionResult> Object(Guid id, ObjectForm form, CancellationToken cancellationToken) =>
        Outcome(await selfService.ObjectAsync(User.RequiredUserId(), id, form.Reason, cancellationToken), id);

    [HttpPost("my/applications/{id:guid}/talent-pool")]
    public async Task<IActionResult> JoinTalentPool(Guid id, CancellationToken cancellationToken) =>
        Outcome(await talentPool.GiveAsync(User.RequiredUserId(), id, cancellationToken), id);

    [HttpPost("my/applications/{id:guid}/talent-pool/withdraw")]
    public async Task<IActionResult> LeaveTalentPool(Guid id, CancellationToken cancellationToken) =>
        Outcome(await talentPool.WithdrawAsync(User.RequiredUserId(), id, cancellationToken), id);

    /// <summary>Post-redirect-get back to My data (at the application concerned), with the outcome as a message.</summary>
    private IActionResult Outcome(SelfServiceResult result, Guid? applicationId = null)
    {
        if (!result.Found)
            return NotFound();
        if (result.Refusal is not null)
            TempData["Error"] = result.Refusal;
        else
            TempData["Message"] = result.Message;
        return Redirect(applicationId is null ? "/my/data" : $"/my/data#application-{applicationId}");
    }
}
