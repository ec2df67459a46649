using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recruiting.Core.Retention;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>
/// HR's retention policies: the default and each posting's override, their history, and an edit form whose submission
/// shows a preview (nothing saved) with a "Confirm and save" button that posts the same values with Confirm set.
/// </summary>
[Authorize(Policy = Policies.HrOnly)]
[Route("manage/retention")]
public sealed class RetentionPoliciesController(RetentionPolicies policies) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await policies.OverviewAsync(cancellationToken));

    /// <summary>The form for the default (no posting) or a posting's override, filled with the periods in force.</summary>
    [HttpGet("edit")]
    public async Task<IActionResult> Edit(Guid? postingId, CancellationToken cancellationToken) =>
        await policies.FormAsync(postingId, cancellationToken) is { } policy ? View(RetentionEditPage.Fresh(policy)) : NotFound();

    [HttpPost("edit")]
    public async Task<IActionResult> Edit(RetentionPolicyForm form, CancellationToken cancellationToken)
    {
        if (form.Missing() is { } missing)
            return await FormAgainAsync(form, missing, cancellationToken);
        if (!form.Confirm)
        {
            var (checkedChange, preview) = await policies.PreviewAsync(form.ToChange(), cancellationToken);
            return !checkedChange.Found ? NotFound()
                : preview is null ? await FormAgainAsync(form, checkedChange.Refusal, cancellationToken)
                : View("Preview", preview);
        }
        var saved = await policies.SaveAsync(User.Staff(), form.ToChange(), cancellationToken);
        if (!saved.Found)
            return NotFound();
        if (!saved.Succeeded)
            return await FormAgainAsync(form, saved.Refusal, cancellationToken);
        TempData["Message"] = saved.Message;
        return RedirectToAction(nameof(Index));
    }

    private async Task<IActionResult> FormAgainAsync(RetentionPolicyForm form, string? error, CancellationToken cancellationToken) =>
        await policies.FormAsync(form.PostingId, cancellationToken) is { } policy
            ? View("Edit", new RetentionEditPage(policy, form, error))
            : NotFound();
}
