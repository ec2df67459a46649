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
/// desk; visitors are asked to sign in or to write to the contact address, and can ask for access or erasure by
/// proving the mailbox is theirs; staff do not file requests.
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
        if (result.Value is not { } request)
            return ContactView(form.Message, result.Refusal);
        TempData["Message"] = $"Thank you. Your message is filed as request {request.Id.ToString()[..8]}; "
                              + $"we answer by email by {request.DueAt:d MMMM yyyy} at the latest.";
        return RedirectToAction(nameof(Index));
    }

    /// <summary>Every well-formed address gets the same answer: a link goes to it whether or not we know it.</summary>
    [HttpPost("request")]
    [EnableRateLimiting(RateLimits.DataRights)]
    public async Task<IActionResult> AskByMail(VisitorRequestForm form, [FromServices] PrivacyContact contact, CancellationToken cancellationToken)
    {
        var email = form.Email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > Recruiting.Core.Applications.Applicant.EmailMaxLength
            || !IsPlainAddress(email))
            return ContactView(null, null, form.Email, "Enter the email address you applied with.");
        if (form.Type is not (RequestType.Access or RequestType.Erasure))
            return ContactView(null, null, form.Email, "Choose a copy of your data or its erasure.");
        await contact.RequestByMailAsync(email, form.Type, cancellationToken);
        return RedirectToAction(nameof(Requested));
    }

    /// <summary>
    /// The mail goes out within this request, so the address must be one the mail senders accept: [EmailAddress] only
    /// checks for an "@", and a sender refusing "a@b.c&lt;script&gt;" would answer 500 after the row was stored.
    /// </summary>
    private static bool IsPlainAddress(string email) =>
        System.Net.Mail.MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && parsed.DisplayName.Length == 0;

    [HttpGet("request/sent")]
    public IActionResult Requested() => View();

    /// <summary>Opening the link changes nothing (mail scanners open links); the button on this page does.</summary>
    [HttpGet("confirm/{id:guid}")]
    public IActionResult Confirm(Guid id, string? token) => View(new VisitorConfirmPage(id, token));

    [HttpPost("confirm/{id:guid}")]
    [EnableRateLimiting(RateLimits.DataRights)]
    public async Task<IActionResult> Confirm(Guid id, [FromForm] string? token, [FromServices] PrivacyContact contact,
        CancellationToken cancellationToken) =>
        await contact.ConfirmAsync(id, token, cancellationToken) ? View("Confirmed") : View("ConfirmFailed");

    private ViewResult ContactView(string? message, string? error, string? visitorEmail = null, string? visitorError = null)
    {
        var audience = User.IsInRole(Roles.Jobseeker) ? ContactAudience.Jobseeker
            : User.IsInRole(Roles.HR) || User.IsInRole(Roles.Recruiter) ? ContactAudience.Staff
            : ContactAudience.Visitor;
        return View("Index", new ContactPage(audience, privacy.Value.ContactEmail, message, error, visitorEmail, visitorError));
    }
}
