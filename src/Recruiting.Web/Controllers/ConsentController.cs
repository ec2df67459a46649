using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Recruiting.Core.Consent;
using Recruiting.Core.Rights;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>
/// The one-click opt-out from talent-pool mail and the one-click renewal of talent-pool consent, without signing in.
/// The links (GET) only show a button: mail scanners prefetch links, so nothing changes until the button is pressed
/// (POST, antiforgery-checked like every form).
/// </summary>
[AllowAnonymous]
public sealed class ConsentController(OptOutLinks links, ConsentRenewalLinks renewals, TalentPool talentPool) : Controller
{
    [HttpGet(OptOutLinks.Path)]
    public IActionResult OptOut(string? token) =>
        links.Read(token) is null ? View("OptOutInvalid") : View(new OptOutPage { Token = token! });

    [HttpPost(OptOutLinks.Path)]
    public async Task<IActionResult> OptOut(OptOutPage form, CancellationToken cancellationToken)
    {
        if (links.Read(form.Token) is not { } applicantId)
            return View("OptOutInvalid");
        await talentPool.OptOutAsync(applicantId, cancellationToken);
        return Redirect("/consent/opted-out");
    }

    [HttpGet("consent/opted-out")]
    public IActionResult OptedOut() => View();

    [HttpGet(ConsentRenewalLinks.Path)]
    public IActionResult Renew(string? token) =>
        renewals.Read(token) is null ? View("RenewInvalid") : View(new RenewalPage { Token = token! });

    [HttpPost(ConsentRenewalLinks.Path)]
    [EnableRateLimiting(RateLimits.DataRights)]
    public async Task<IActionResult> Renew(RenewalPage form, CancellationToken cancellationToken)
    {
        if (renewals.Read(form.Token) is not { } applicationId || !await talentPool.RenewAsync(applicationId, cancellationToken))
            return View("RenewInvalid");
        return Redirect("/consent/renewed");
    }

    [HttpGet("consent/renewed")]
    public IActionResult Renewed() => View();
}
