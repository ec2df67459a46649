using System.Diagnostics;
using AutoMapper;
using AutoMapper.QueryableExtensions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;
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
    public IActionResult Privacy() => View();

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
