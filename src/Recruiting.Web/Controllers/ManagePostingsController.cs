using AutoMapper;
using AutoMapper.QueryableExtensions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

[Authorize(Policy = Policies.Staff)]
[Route("manage/postings")]
public sealed class ManagePostingsController(RecruitingDbContext db, IMapper mapper, TimeProvider time) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await db.JobPostings
            .OrderByDescending(p => p.CreatedAt)
            .ProjectTo<ManagedPostingRow>(mapper.ConfigurationProvider)
            .ToListAsync(cancellationToken));

    [HttpGet("new")]
    public IActionResult Create() => View("Edit", new PostingForm());

    [HttpPost("new")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Create(PostingForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
            return View("Edit", form);
        var posting = JobPosting.Create(form.Title, form.Location, form.Description, time.GetUtcNow());
        db.JobPostings.Add(posting);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = "Posting created as a draft. Open it to accept applications.";
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var posting = await db.JobPostings.FindAsync([id], cancellationToken);
        return posting is null ? NotFound() : View(mapper.Map<PostingForm>(posting));
    }

    [HttpPost("{id:guid}/edit")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Edit(Guid id, PostingForm form, CancellationToken cancellationToken)
    {
        var posting = await db.JobPostings.FindAsync([id], cancellationToken);
        if (posting is null)
            return NotFound();
        if (!ModelState.IsValid)
            return View(form);
        posting.Edit(form.Title, form.Location, form.Description);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = "Posting saved.";
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("{id:guid}/open")]
    [ValidateAntiForgeryToken]
    public Task<IActionResult> Open(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, p => p.Open(time.GetUtcNow()), "Posting opened: it is listed publicly and accepts applications.", cancellationToken);

    [HttpPost("{id:guid}/close")]
    [ValidateAntiForgeryToken]
    public Task<IActionResult> Close(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, p => p.Close(time.GetUtcNow()), "Posting closed: it no longer accepts applications.", cancellationToken);

    private async Task<IActionResult> ChangeAsync(Guid id, Action<JobPosting> change, string message, CancellationToken cancellationToken)
    {
        var posting = await db.JobPostings.FindAsync([id], cancellationToken);
        if (posting is null)
            return NotFound();
        change(posting);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = message;
        return RedirectToAction(nameof(Index));
    }
}
