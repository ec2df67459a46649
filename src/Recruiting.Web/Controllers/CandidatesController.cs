using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;
using Recruiting.Core.Results;
using Recruiting.Core.Review;
using Recruiting.Core.Storage;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>The recruiter workspace. Access is checked on the data by <see cref="CandidateDesk"/>: not theirs means 404.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class CandidatesController(CandidateDesk desk, PostingDesk postings, RecruitingDbContext db, IBlobStore blobs) : Controller
{
    [HttpGet("manage/postings/{postingId:guid}/candidates")]
    public async Task<IActionResult> Index(Guid postingId, ApplicationStatus? status, string? q, string? sort, int page = 1,
        CancellationToken cancellationToken = default)
    {
        var staff = User.Staff();
        var title = await postings.PostingsOf(staff).Where(p => p.Id == postingId).Select(p => p.Title).SingleOrDefaultAsync(cancellationToken);
        if (title is null)
            return NotFound();
        var oldestFirst = sort == "oldest";
        var candidates = await desk.ListAsync(staff, postingId, new CandidateQuery(status, q, oldestFirst, page), cancellationToken);
        return View(new CandidateListPage(postingId, title, candidates, status, q, oldestFirst));
    }

    [HttpGet("candidates/{id:guid}")]
    public async Task<IActionResult> Details(Guid id, CancellationToken cancellationToken)
    {
        var staff = User.Staff();
        var application = await desk.OpenAsync(staff, id, cancellationToken);
        if (application is null)
            return NotFound();
        var notes = await desk.NotesAsync(id, cancellationToken);
        var authors = await db.Users.Where(u => notes.Select(n => n.AuthorUserId).Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Email ?? "", cancellationToken);
        var noteViews = notes.Select(n => new CandidateNoteView(n.Id, n.Text, authors.GetValueOrDefault(n.AuthorUserId, "former staff"),
            n.CreatedAt, n.EditedAt, n.IsWrittenBy(staff.UserId))).ToList();
        return View(new CandidatePageView(application, noteViews, TempData["Error"] as string));
    }

    [HttpGet("candidates/{id:guid}/documents/{documentId:guid}")]
    public async Task<IActionResult> Document(Guid id, Guid documentId, CancellationToken cancellationToken)
    {
        var document = await desk.DownloadAsync(User.Staff(), id, documentId, cancellationToken);
        return document is null ? NotFound() : await DocumentDownload.ResultAsync(this, blobs, document, cancellationToken);
    }

    [HttpPost("candidates/{id:guid}/status")]
    public async Task<IActionResult> Status(Guid id, ApplicationStatus status, CancellationToken cancellationToken) =>
        Outcome(id, await desk.MoveAsync(User.Staff(), id, status, cancellationToken), $"Status changed to {status}.");

    [HttpPost("candidates/{id:guid}/notes")]
    public async Task<IActionResult> AddNote(Guid id, NoteForm form, CancellationToken cancellationToken) =>
        Outcome(id, await desk.AddNoteAsync(User.Staff(), id, form.Text, cancellationToken), "Note added.");

    [HttpPost("candidates/{id:guid}/notes/{noteId:guid}/edit")]
    public async Task<IActionResult> EditNote(Guid id, Guid noteId, NoteForm form, CancellationToken cancellationToken) =>
        Outcome(id, await desk.EditNoteAsync(User.Staff(), id, noteId, form.Text, cancellationToken), "Note saved.");

    [HttpPost("candidates/{id:guid}/notes/{noteId:guid}/delete")]
    public async Task<IActionResult> DeleteNote(Guid id, Guid noteId, CancellationToken cancellationToken) =>
        Outcome(id, await desk.DeleteNoteAsync(User.Staff(), id, noteId, cancellationToken), "Note deleted.");

    /// <summary>Post-redirect-get back to the candidate page, carrying the success or refusal message.</summary>
    private IActionResult Outcome(Guid id, DeskResult result, string success)
    {
        if (!result.Found)
            return NotFound();
        TempData[result.Succeeded ? "Message" : "Error"] = result.Refusal ?? success;
        return RedirectToAction(nameof(Details), new { id });
    }
}
