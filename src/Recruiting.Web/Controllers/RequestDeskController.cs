using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recruiting.Core.Results;
using Recruiting.Core.Review;
using Recruiting.Core.Rights;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>HR's request desk. Every change goes through <see cref="RequestDesk"/>, which audits it and queues the jobseeker's mail.</summary>
[Authorize(Policy = Policies.HrOnly)]
[Route("manage/requests")]
public sealed class RequestDeskController(RequestDesk desk, TimeProvider time) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? show, int page = 1, CancellationToken cancellationToken = default)
    {
        var filter = Enum.TryParse<RequestFilter>(show, ignoreCase: true, out var parsed) ? parsed : RequestFilter.All;
        var requests = await desk.ListAsync(filter, page, cancellationToken);
        return View(new RequestListPage(requests, await desk.OverdueCountAsync(cancellationToken)));
    }

    [HttpGet("log")]
    public IActionResult Log() =>
        View(new LogRequestPage(new LogRequestForm { Received = Today() }, null, Today()));

    [HttpPost("log")]
    public async Task<IActionResult> Log(LogRequestForm form, CancellationToken cancellationToken)
    {
        var result = await desk.LogAsync(User.Staff(), form.ToLogged(), cancellationToken);
        if (!result.Succeeded)
            return View(new LogRequestPage(form, result.Refusal, Today()));
        TempData["Message"] = "Request logged; it is due one month after the day it was received.";
        return RedirectToAction(nameof(Details), new { id = result.Value });
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Details(Guid id, CancellationToken cancellationToken)
    {
        var found = await desk.OpenAsync(id, cancellationToken);
        return found is null ? NotFound() : View(new RequestDetailsPage(found, time.GetUtcNow(), TempData["Error"] as string));
    }

    [HttpPost("{id:guid}/extend")]
    public async Task<IActionResult> Extend(Guid id, ExtendForm form, CancellationToken cancellationToken) =>
        Outcome(id, form.NewDueDate is { } date
            ? await desk.ExtendAsync(User.Staff(), id, date, form.Reason, cancellationToken)
            : await NotFoundOr(id, "Choose the new due date.", cancellationToken), "Due date extended; the jobseeker is emailed the reason.");

    [HttpPost("{id:guid}/answer")]
    public async Task<IActionResult> Answer(Guid id, AnswerForm form, CancellationToken cancellationToken) =>
        Outcome(id, await desk.AnswerAsync(User.Staff(), id, form.Outcome, form.Answer, cancellationToken),
            "Answered; the jobseeker is emailed your answer.");

    [HttpPost("{id:guid}/lift-restriction")]
    public async Task<IActionResult> LiftRestriction(Guid id, CancellationToken cancellationToken) =>
        Outcome(id, await desk.LiftRestrictionAsync(User.Staff(), id, cancellationToken),
            "The jobseeker is being told; the restriction ends as soon as the mail is sent.");

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>A form without a date is refused on the page, but a request that does not exist is still 404.</summary>
    private async Task<DeskResult> NotFoundOr(Guid id, string refusal, CancellationToken cancellationToken) =>
        await desk.OpenAsync(id, cancellationToken) is null ? DeskResult.NotFound : DeskResult.Refused(refusal);

    /// <summary>Post-redirect-get back to the request's page, carrying the success or refusal message.</summary>
    private IActionResult Outcome(Guid id, DeskResult result, string success)
    {
        if (!result.Found)
            return NotFound();
        TempData[result.Succeeded ? "Message" : "Error"] = result.Refusal ?? success;
        return RedirectToAction(nameof(Details), new { id });
    }
}
