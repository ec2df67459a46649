using AutoMapper;
using AutoMapper.QueryableExtensions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Postings;
using Recruiting.Core.Results;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>Postings as staff see them: HR all, a recruiter those assigned to them (others answer 404).</summary>
[Authorize(Policy = Policies.Staff)]
[Route("manage/postings")]
public sealed class ManagePostingsController(PostingDesk postings, IMapper mapper) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await postings.PostingsOf(User.Staff())
            .OrderByDescending(p => p.CreatedAt)
            .ProjectTo<ManagedPostingRow>(mapper.ConfigurationProvider)
            .ToListAsync(cancellationToken));

    [HttpGet("new")]
    public IActionResult Create() => View("Edit", new PostingForm());

    [HttpPost("new")]
    public async Task<IActionResult> Create(PostingForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
            return View("Edit", form);
        await postings.CreateAsync(User.Staff(), form.Title, form.Location, form.Description, cancellationToken);
        TempData["Message"] = "Posting created as a draft. Open it to accept applications.";
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var posting = await postings.FindAsync(User.Staff(), id, cancellationToken);
        return posting is null ? NotFound() : View(mapper.Map<PostingForm>(posting));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, PostingForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
            return await postings.FindAsync(User.Staff(), id, cancellationToken) is null ? NotFound() : View(form);
        return Done(await postings.EditAsync(User.Staff(), id, form.Title, form.Location, form.Description, cancellationToken),
            "Posting saved.");
    }

    /// <summary>Opening a posting also tells the talent pool about it (once per applicant).</summary>
    [HttpPost("{id:guid}/open")]
    public async Task<IActionResult> Open(Guid id, CancellationToken cancellationToken) =>
        Done(await postings.OpenAsync(User.Staff(), id, cancellationToken), "Posting opened: it is listed publicly and accepts applications.");

    /// <summary>Closing starts the retention clock of its undecided applications; their due dates are stored with it.</summary>
    [HttpPost("{id:guid}/close")]
    public async Task<IActionResult> Close(Guid id, CancellationToken cancellationToken) =>
        Done(await postings.CloseAsync(User.Staff(), id, cancellationToken), "Posting closed: it no longer accepts applications.");

    [HttpGet("{id:guid}/recruiters")]
    [Authorize(Policy = Policies.HrOnly)]
    public async Task<IActionResult> Recruiters(Guid id, CancellationToken cancellationToken)
    {
        var posting = await postings.FindAsync(User.Staff(), id, cancellationToken);
        if (posting is null)
            return NotFound();
        var recruiters = await postings.RecruitersForAsync(id, cancellationToken);
        return View(new AssignRecruitersPage(id, posting.Title,
            recruiters.Select(r => new RecruiterChoice(r.UserId, r.Email, r.Assigned)).ToList()));
    }

    [HttpPost("{id:guid}/recruiters")]
    [Authorize(Policy = Policies.HrOnly)]
    public async Task<IActionResult> Recruiters(Guid id, List<Guid> recruiterIds, CancellationToken cancellationToken)
    {
        if (await postings.FindAsync(User.Staff(), id, cancellationToken) is null)
            return NotFound();
        await postings.AssignAsync(id, recruiterIds, cancellationToken);
        TempData["Message"] = "Recruiters assigned.";
        return RedirectToAction(nameof(Index));
    }

    private IActionResult Done(DeskResult result, string message)
    {
        if (!result.Found)
            return NotFound();
        TempData["Message"] = message;
        return RedirectToAction(nameof(Index));
    }
}
