using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Results;
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
        return View(new CorrectDetailsForm { FullName = p.FullName, Phone = p.Phone, Address = p.Address, AccountEmail = p.AccountEmail });
    }

    /// <summary>Art. 16: corrects the name, phone and postal address every application uses.</summary>
    [HttpPost("my/data/profile")]
    public async Task<IActionResult> Profile(CorrectDetailsForm form, [FromServices] UserManager<AppUser> accounts,
        CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var result = await selfService.CorrectContactDetailsAsync(User.RequiredUserId(), form.FullName, form.Phone, form.Address,
                cancellationToken);
            if (!result.Found)
                return NotFound();
            TempData["Message"] = result.Message;
            return Redirect("/my/data");
        }
        form.AccountEmail = (await accounts.GetUserAsync(User))?.Email ?? "";
        return View(form);
    }

    [HttpGet("my/data/email")]
    public async Task<IActionResult> ChangeEmail([FromServices] UserManager<AppUser> accounts)
    {
        var user = await accounts.GetUserAsync(User);
        return user is null ? NotFound() : View(EmailPage(new ChangeEmailForm(), user));
    }

    /// <summary>
    /// Asks to move the account to another address (<see cref="EmailChanges"/>): nothing changes until the link mailed
    /// there is confirmed. The page answers alike whether or not that address has an account.
    /// </summary>
    [HttpPost("my/data/email")]
    [EnableRateLimiting(RateLimits.EmailChange)]
    public async Task<IActionResult> ChangeEmail(ChangeEmailForm form, [FromServices] UserManager<AppUser> accounts,
        [FromServices] EmailChanges changes, CancellationToken cancellationToken)
    {
        var user = await accounts.GetUserAsync(User);
        if (user is null)
            return NotFound();
        if (ModelState.IsValid)
        {
            switch (await changes.RequestAsync(user, form.CurrentPassword, form.NewEmail, cancellationToken))
            {
                case EmailChangeRequest.Requested:
                    TempData["Message"] = EmailChangeRequested;
                    return Redirect("/my/data");
                case EmailChangeRequest.WrongPassword:
                    ModelState.AddModelError(nameof(form.CurrentPassword), "The current password is not right. Nothing has changed.");
                    break;
                case EmailChangeRequest.LockedOut:
                    ModelState.AddModelError(nameof(form.CurrentPassword), "Too many failed attempts. Please try again later.");
                    break;
                case EmailChangeRequest.SameAddress:
                    ModelState.AddModelError(nameof(form.NewEmail), "This is already your email address.");
                    break;
            }
        }
        return View(EmailPage(form, user));
    }

    public const string EmailChangeRequested =
        "We have sent a confirmation link to the new address, and a notice to your current one. Your email address " +
        "changes only when you open that link and confirm; until then you sign in with your current address.";

    private static ChangeEmailForm EmailPage(ChangeEmailForm form, AppUser user)
    {
        form.CurrentPassword = "";
        form.CurrentEmail = user.Email ?? "";
        form.PendingEmail = user.PendingEmail;
        return form;
    }

    /// <summary>Art. 16: replaces the CV of an application still under review; checked like the apply form's.</summary>
    [HttpPost("my/applications/{id:guid}/cv")]
    [UploadLimits]
    public async Task<IActionResult> ReplaceCv(Guid id, IFormFile? cv, CancellationToken cancellationToken) =>
        Outcome(await selfService.ReplaceCvAsync(User.RequiredUserId(), id,
            cv is null ? null : StagedUploads.Incoming(cv), cancellationToken), id);

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
    private IActionResult Outcome(DeskResult result, Guid? applicationId = null)
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
