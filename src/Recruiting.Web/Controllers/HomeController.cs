using System.Diagnostics;
using AutoMapper;
using AutoMapper.QueryableExtensions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;
using Recruiting.Core.Privacy;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

public sealed class HomeController(RecruitingDbContext db, IMapper mapper) : Controller
{
    [HttpGet("/")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var open = await db.JobPostings
            .Where(p => p.Status == PostingStatus.Open)
            .OrderByDescending(p => p.OpenedAt)
            .ProjectTo<PostingSummary>(mapper.ConfigurationProvider)
            .ToListAsync(cancellationToken);
        return View(open);
    }

    [HttpGet("/privacy")]
    public async Task<IActionResult> Privacy([FromServices] PrivacyNotices notices, CancellationToken cancellationToken) =>
        View(await notices.GeneralAsync(cancellationToken));

    /// <summary>
    /// The exact text of a notice version that was once shown: what an application's applicant read. Public, like the
    /// notice itself; a version never shown is 404.
    /// </summary>
    [HttpGet("/privacy/notices/{version:length(64)}")]
    public async Task<IActionResult> Notice(string version, [FromServices] PrivacyNotices notices, CancellationToken cancellationToken) =>
        await notices.TextOfAsync(version, cancellationToken) is { } text ? View(text) : NotFound();

    // Error pages are re-executed with the failed request's method, POST included; they must not demand a token.
    [Route("/error")]
    [IgnoreAntiforgeryToken]
    public IActionResult Error()
    {
        var feature = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        var tooLarge = feature?.Error is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge };
        Response.StatusCode = tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status500InternalServerError;
        return View(tooLarge ? "TooLarge" : "Error", Activity.Current?.Id ?? HttpContext.TraceIdentifier);
    }

    [Route("/status/{code:int}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Status(int code)
    {
        if (code == StatusCodes.Status413PayloadTooLarge)
            return View("TooLarge");
        return View("Status", code);
    }
}
