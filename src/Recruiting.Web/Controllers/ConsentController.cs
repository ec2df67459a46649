using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recruiting.Core.Rights;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>
/// The one-click opt-out from talent-pool mail, without signing in. The link (GET) only shows a button: mail
/// scanners prefetch links, so nothing changes until the button is pressed (POST, antiforgery-checked like every form).
/// </summary>
[AllowAnonymous]
public sealed class ConsentController(OptOutLinks links, TalentPool talentPool) : Controller
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
}
