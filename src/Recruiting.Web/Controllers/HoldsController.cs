using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recruiting.Core.Results;
using Recruiting.Core.Retention;
using Recruiting.Core.Review;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>HR's legal holds. <see cref="LegalHolds"/> audits each change and keeps the covered applications' flags in step.</summary>
[Authorize(Policy = Policies.HrOnly)]
[Route("manage/holds")]
public sealed class HoldsController(LegalHolds holds) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(new HoldsPage(await holds.ListAsync(cancellationToken), TempData["Error"] as string));

    [HttpPost("")]
    public async Task<IActionResult> Place(HoldForm form, CancellationToken cancellationToken)
    {
        var result = form.ApplicationId is { } applicationId
            ? await holds.PlaceAsync(User.Staff(), applicationId, form.Scope, form.Reason, form.EndsOn, cancellationToken)
            : DeskResult.Refused("Enter the id of the application (it is in the address of its candidate page).");
        if (!result.Found)
            return NotFound();
        TempData[result.Succeeded ? "Message" : "Error"] = result.Refusal ?? "Legal hold placed: nothing it covers is deleted until it ends.";
        return form.FromCandidatePage && form.ApplicationId is { } id
            ? RedirectToAction(nameof(CandidatesController.Details), "Candidates", new { id })
            : RedirectToAction(nameof(Index));
    }

    [HttpPost("{id:guid}/lift")]
    public async Task<IActionResult> Lift(Guid id, CancellationToken cancellationToken)
    {
        var result = await holds.LiftAsync(User.Staff(), id, cancellationToken);
        if (!result.Found)
            return NotFound();
        TempData[result.Succeeded ? "Message" : "Error"] = result.Refusal
            ?? "Legal hold lifted: what it covered is deleted when its retention period is over, and a held erasure resumes.";
        return RedirectToAction(nameof(Index));
    }
}
