using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Recruiting.Core.Identity;
using Recruiting.Core.Privacy;
using Recruiting.Core.Rights;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>
/// Privacy questions and complaints. A signed-in jobseeker's message is filed as a request of type question on HR's
/// desk; visitors are asked to sign in or to write to the contact address; staff do not file requests.
/// </summary>
[Route("privacy/contact")]
public sealed class PrivacyContactController(IOptions<PrivacyOptions> privacy) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => ContactView(null, TempData["Error"] as string);

    [HttpPost("")]
    [EnableRateLimiting(RateLimits.DataRights)]
    [Authorize(Roles = Roles.Jobseeker)]
    public async Task<IActionResult> Index(ContactForm form, [FromServices] PrivacyContact contact, CancellationToken cancellationToken)
    {
        var result = await contact.AskAsync(User.RequiredUserId(), form.Message, cancellationToken);
        if (result.Request is null)
            return ContactView(form.Message, result.Refusal);
        TempData["Message"] = $"Thank you. Your message is filed as request {result.Request.Id.ToString()[..8]}; "
                              + $"we answer by email by {result.Request.DueAt:d MMMM yyyy} at the latest.";
        return RedirectToAction(nameof(Index));
    }

    private ViewResult ContactView(string? message, string? error)
    {
        var audience = User.IsInRole(Roles.Jobseeker) ? ContactAudience.Jobseeker
            : User.IsInRole(Roles.HR) || User.IsInRole(Roles.Recruiter) ? ContactAudience.Staff
            : ContactAudience.Visitor;
        return View("Index", new ContactPage(audience, privacy.Value.ContactEmail, message, error));
    }
}
