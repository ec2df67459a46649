using AutoMapper;
using AutoMapper.QueryableExtensions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Postings;
using Recruiting.Core.Privacy;
using Recruiting.Core.Uploads;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

public sealed class ApplyController(
    RecruitingDbContext db,
    ApplicationIntake intake,
    PrivacyNotices notices,
    IOptions<UploadOptions> uploads,
    IMapper mapper) : Controller
{
    [HttpGet("postings/{id:guid}/apply")]
    public async Task<IActionResult> Apply(Guid id, CancellationToken cancellationToken)
    {
        var posting = await PostingById(db, id, cancellationToken);
        if (posting is null || !posting.AcceptsApplications)
            return NotFound();
        if (IsStaff())
            return View("StaffCannotApply");

        var notice = await notices.ForPostingAsync(id, cancellationToken);
        var form = new ApplyForm { NoticeVersion = notice.Version };
        if (User.UserId() is { } userId)
            await FromAccountAsync(form, userId, prefill: true, cancellationToken);
        return ApplyView(mapper.Map<PostingDetails>(posting), form, notice);
    }

    [HttpPost("postings/{id:guid}/apply")]
    [EnableRateLimiting(RateLimits.Registration)]
    [UploadLimits]
    public async Task<IActionResult> Apply(Guid id, ApplyForm form, CancellationToken cancellationToken)
    {
        var posting = await PostingById(db, id, cancellationToken);
        if (posting is null || !posting.AcceptsApplications)
            return NotFound();
        if (IsStaff())
            return Forbid();

        var userId = User.UserId();
        if (userId is not null)
            await FromAccountAsync(form, userId.Value, prefill: false, cancellationToken);
        if (form.Cv is null)
            ModelState.AddModelError(nameof(ApplyForm.Cv), "Please attach your CV (PDF, DOCX or ODT).");
        if (userId is null && string.IsNullOrEmpty(form.Password))
            ModelState.AddModelError(nameof(ApplyForm.Password), "Choose a password for your account.");
        // The application records the notice its applicant saw: if the text changed while the form was open (a retention
        // policy edited meanwhile), the applicant has not seen the current one, so nothing is stored until they have.
        var notice = await notices.ForPostingAsync(id, cancellationToken);
        if (form.NoticeVersion != notice.Version)
        {
            ModelState.Remove(nameof(ApplyForm.NoticeVersion));
            form.NoticeVersion = notice.Version;
            ModelState.AddModelError("", "The privacy notice has changed since you opened this form. Please read it and submit again.");
        }

        if (ModelState.IsValid)
        {
            var result = await intake.ApplyAsync(ToRequest(id, userId, form), cancellationToken);
            // A visitor sees one page whatever became of the form (stored, or its address's owner mailed instead),
            // so it never tells whether an address has an account.
            if (result.Succeeded)
                return userId is null
                    ? RedirectToAction(nameof(Sent), new { id })
                    : RedirectToAction(nameof(Submitted), new { id = result.ApplicationId });
            foreach (var (field, message) in result.Errors)
                ModelState.AddModelError(field, message);
        }

        if (form.Cv is not null || form.FurtherDocuments.Count > 0)
            ModelState.AddModelError("", "For your safety, browsers do not keep chosen files: please choose your files again.");
        return ApplyView(mapper.Map<PostingDetails>(posting), form, notice);
    }

    [HttpGet("postings/{id:guid}/apply/sent")]
    public async Task<IActionResult> Sent(Guid id, CancellationToken cancellationToken)
    {
        var title = await db.JobPostings.Where(p => p.Id == id).Select(p => p.Title).SingleOrDefaultAsync(cancellationToken);
        return title is null ? NotFound() : View("Sent", title);
    }

    [HttpGet("applications/{id:guid}/submitted")]
    [Authorize(Roles = Roles.Jobseeker)]
    public async Task<IActionResult> Submitted(Guid id, CancellationToken cancellationToken)
    {
        var userId = User.RequiredUserId();
        var page = await db.Applications
            .Where(a => a.Id == id && a.Applicant.UserId == userId)
            .Select(a => new SubmittedPage { ApplicationId = a.Id, JobPostingTitle = a.JobPosting.Title, SubmittedAt = a.SubmittedAt })
            .SingleOrDefaultAsync(cancellationToken);
        return page is null ? NotFound() : View(page);
    }

    // The form's page and its submission run these on every application; compiled once, they skip translating the LINQ.
    // Tracked: intake then finds the posting among the tracked entities instead of reading it again.
    private static readonly Func<RecruitingDbContext, Guid, CancellationToken, Task<JobPosting?>> PostingById =
        EF.CompileAsyncQuery((RecruitingDbContext db, Guid id, CancellationToken _) => db.JobPostings.SingleOrDefault(p => p.Id == id));

    /// <summary>The account's address, and its applicant's contact details once there is one: one round trip for both.</summary>
    private static readonly Func<RecruitingDbContext, Guid, CancellationToken, Task<AccountContact?>> AccountOf =
        EF.CompileAsyncQuery((RecruitingDbContext db, Guid userId, CancellationToken _) => db.Users
            .Where(u => u.Id == userId)
            .Select(u => new AccountContact(u.Email, db.Applicants.Where(a => a.UserId == u.Id)
                .Select(a => new ApplicantContact(a.FullName, a.Phone, a.Address)).SingleOrDefault()))
            .SingleOrDefault());

    private sealed record AccountContact(string? Email, ApplicantContact? Applicant);

    private sealed record ApplicantContact(string FullName, string Phone, string? Address);

    private bool IsStaff() => User.IsInRole(Roles.HR) || User.IsInRole(Roles.Recruiter);

    private IActionResult ApplyView(PostingDetails posting, ApplyForm form, PrivacyNotice notice)
    {
        form.Posting = posting;
        form.Notice = notice;
        form.CreatesAccount = User.UserId() is null;
        form.MaxFileBytes = uploads.Value.MaxFileBytes;
        return View("Apply", form);
    }

    /// <summary>
    /// A signed-in jobseeker's address, and name once they have a profile, are the account's: shown on the form and
    /// put in place of anything posted (intake takes them from the account too). Prefilling also brings the phone
    /// and postal address they gave last time.
    /// </summary>
    private async Task FromAccountAsync(ApplyForm form, Guid userId, bool prefill, CancellationToken cancellationToken)
    {
        var account = await AccountOf(db, userId, cancellationToken);
        form.Email = account?.Email ?? "";
        ModelState.Remove(nameof(ApplyForm.Email));
        if (account?.Applicant is not { } applicant)
            return;
        form.FullName = applicant.FullName;
        form.NameFromAccount = true;
        ModelState.Remove(nameof(ApplyForm.FullName));
        if (prefill)
            (form.Phone, form.Address) = (applicant.Phone, applicant.Address);
    }

    private static ApplyRequest ToRequest(Guid postingId, Guid? userId, ApplyForm form) => new(
        postingId,
        userId,
        userId is null ? form.Password : null,
        form.ToContact(),
        form.CoverLetter,
        form.NoticeVersion,
        form.Cv is null ? null : StagedUploads.Incoming(form.Cv),
        form.FurtherDocuments.Select(StagedUploads.Incoming).ToList(),
        form.KeepForFutureOpenings);
}
