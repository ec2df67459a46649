using AutoMapper;
using Microsoft.AspNetCore.Mvc;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

[Route("postings")]
public sealed class PostingsController(RecruitingDbContext db, IMapper mapper) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => RedirectToAction(nameof(HomeController.Index), "Home");

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Details(Guid id, CancellationToken cancellationToken)
    {
        var posting = await db.JobPostings.FindAsync([id], cancellationToken);
        // Drafts are not public; closed postings stay readable so links in mail keep working.
        if (posting is null || posting.Status == PostingStatus.Draft)
            return NotFound();
        return View(mapper.Map<PostingDetails>(posting));
    }
}
