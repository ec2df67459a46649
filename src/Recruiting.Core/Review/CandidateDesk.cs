using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Postings;
using Recruiting.Core.Results;
using Recruiting.Core.Retention;

namespace Recruiting.Core.Review;

public sealed record CandidateQuery(ApplicationStatus? Status, string? Search, bool OldestFirst, int Page)
{
    public const int PageSize = 25;
}

public sealed record CandidateRow(Guid ApplicationId, string FullName, string Email, ApplicationStatus Status,
    DateTimeOffset SubmittedAt, DateTimeOffset? DeletionDueAt, bool OnLegalHold, bool InTalentPool);

public sealed record CandidatePage(IReadOnlyList<CandidateRow> Rows, int Page, int TotalCount)
{
    public int PageCount => Math.Max(1, (TotalCount + CandidateQuery.PageSize - 1) / CandidateQuery.PageSize);
}

/// <summary>
/// What staff do with candidates. Every method takes the <see cref="StaffMember"/> and checks access on the data:
/// an application outside their postings is simply not found, like one that does not exist. Opening a candidate and
/// downloading a document are written to the access log that the applicant sees.
/// </summary>
public sealed class CandidateDesk(
    RecruitingDbContext db,
    PostingDesk postings,
    DueDates dueDates,
    TimeProvider time,
    ILogger<CandidateDesk> logger)
{
    /// <summary>Applications the staff member may see: those of their postings, never restricted ones.</summary>
    public IQueryable<JobApplication> ApplicationsOf(StaffMember staff) =>
        (staff.IsHr
            ? db.Applications
            : db.Applications.Where(x => db.PostingAssignments.Any(a => a.JobPostingId == x.JobPostingId && a.RecruiterUserId == staff.UserId)))
        .Where(x => !x.IsRestricted);

    /// <summary>
    /// One page of a posting's candidates. Shaped for large postings: access is checked once on the posting, the
    /// count and the page's ids come from one index (posting, restriction, [status,] submission time, id) without
    /// touching the rows, and only the 25 rows shown are read.
    /// </summary>
    public async Task<CandidatePage> ListAsync(StaffMember staff, Guid postingId, CandidateQuery query, CancellationToken cancellationToken)
    {
        var page = Math.Max(1, query.Page);
        if (!await postings.PostingsOf(staff).AnyAsync(p => p.Id == postingId, cancellationToken))
            return new CandidatePage([], page, 0);

        var applications = db.Applications.Where(a => a.JobPostingId == postingId && !a.IsRestricted);
        if (query.Status is { } status)
            applications = applications.Where(a => a.Status == status);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var applicantIds = MatchingApplicants(query.Search.Trim());
            applications = applications.Where(a => applicantIds.Contains(a.ApplicantId));
        }

        var total = await applications.CountAsync(cancellationToken);
        var skip = (page - 1) * CandidateQuery.PageSize;
        List<Guid> ids;
        if (query.Search is { Length: > 0 } && total <= SortInMemoryUpTo)
        {
            // A search that matches few is found through the applicant's email or name and sorted here: asking SQL
            // to sort it would make it walk the posting's whole date index looking for those few.
            var matches = await applications.Select(a => new { a.Id, a.SubmittedAt }).ToListAsync(cancellationToken);
            var sorted = query.OldestFirst
                ? matches.OrderBy(m => m.SubmittedAt).ThenBy(m => m.Id)
                : matches.OrderByDescending(m => m.SubmittedAt).ThenByDescending(m => m.Id);
            ids = sorted.Skip(skip).Take(CandidateQuery.PageSize).Select(m => m.Id).ToList();
        }
        else
        {
            ids = await Ordered(applications, query.OldestFirst)
                .Skip(skip)
                .Take(CandidateQuery.PageSize)
                .Select(a => a.Id)
                .ToListAsync(cancellationToken);
        }
        var rows = await db.Applications.Where(a => ids.Contains(a.Id))
            .Select(a => new CandidateRow(a.Id, a.Applicant.FullName, a.Applicant.Email, a.Status, a.SubmittedAt,
                a.DeletionDueAt, a.OnLegalHold, a.InTalentPool))
            .ToListAsync(cancellationToken);
        return new CandidatePage(rows.OrderBy(r => ids.IndexOf(r.ApplicationId)).ToList(), page, total);
    }

    /// <summary>Search results up to this many are sorted in memory rather than by the posting's date index.</summary>
    private const int SortInMemoryUpTo = 5000;

    private static IQueryable<JobApplication> Ordered(IQueryable<JobApplication> applications, bool oldestFirst) =>
        oldestFirst
            ? applications.OrderBy(a => a.SubmittedAt).ThenBy(a => a.Id)
            : applications.OrderByDescending(a => a.SubmittedAt).ThenByDescending(a => a.Id);

    /// <summary>
    /// Email search is a prefix range on the lower-cased, indexed email (so an exact address finds one row at once);
    /// without an '@' the term also matches anywhere in the name, through the name's trigram index. The two are a
    /// union, not an OR, so that each is answered by its own index.
    /// </summary>
    private IQueryable<Guid> MatchingApplicants(string search)
    {
        var lower = search.ToLowerInvariant();
        var upperBound = lower + "\uffff";
        var byEmail = db.Applicants
            .Where(p => string.Compare(p.Email, lower) >= 0 && string.Compare(p.Email, upperBound) < 0)
            .Select(p => p.Id);
        return lower.Contains('@') ? byEmail : ApplicantNameSearch.Matching(db, search).Union(byEmail);
    }

    /// <summary>Loads the candidate for the candidate page and records the view; null when not theirs to see.</summary>
    public async Task<JobApplication?> OpenAsync(StaffMember staff, Guid applicationId, CancellationToken cancellationToken)
    {
        var application = await ApplicationsOf(staff)
            .Include(a => a.Applicant)
            .Include(a => a.JobPosting)
            .Include(a => a.Documents)
            .AsSplitQuery()
            .SingleOrDefaultAsync(a => a.Id == applicationId, cancellationToken);
        if (application is null)
            return null;
        db.AccessLog.Add(AccessLogEntry.Viewed(application.Id, application.ApplicantId, staff, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return application;
    }

    public Task<List<RecruiterNote>> NotesAsync(Guid applicationId, CancellationToken cancellationToken) =>
        db.Notes.Where(n => n.ApplicationId == applicationId).OrderBy(n => n.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>The document, if the staff member may see its application; the download is logged.</summary>
    public async Task<ApplicationDocument?> DownloadAsync(StaffMember staff, Guid applicationId, Guid documentId,
        CancellationToken cancellationToken)
    {
        var found = await ApplicationsOf(staff)
            .Where(a => a.Id == applicationId)
            .SelectMany(a => a.Documents.Where(d => d.Id == documentId), (a, d) => new { a.ApplicantId, Document = d })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
            return null;
        db.AccessLog.Add(AccessLogEntry.Downloaded(applicationId, found.ApplicantId, found.Document, staff, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return found.Document;
    }

    /// <summary>Moves the application along the pipeline; a move the rules do not allow comes back as a refusal.</summary>
    public async Task<DeskResult> MoveAsync(StaffMember staff, Guid applicationId, ApplicationStatus next, CancellationToken cancellationToken)
    {
        var application = await ApplicationsOf(staff).Include(a => a.Applicant)
            .SingleOrDefaultAsync(a => a.Id == applicationId, cancellationToken);
        if (application is null)
            return DeskResult.NotFound;
        if (application.MoveRefusal(next) is { } refusal)
            return DeskResult.Refused(refusal);

        var now = time.GetUtcNow();
        application.MoveTo(next, now);
        if (next == ApplicationStatus.Rejected)
            db.Notifications.Add(Notification.ApplicationRejected(application.Applicant.UserId, application.Id, now));
        // A decision starts the retention clock: the due date is stored with it, in the same transaction.
        await dueDates.SaveInStepAsync([application.Id], cancellationToken);
        logger.LogInformation("Application {ApplicationId} moved to {Status} by {UserId}", application.Id, next, staff.UserId);
        return DeskResult.Done();
    }

    /// <summary>
    /// Closes the posting (if theirs to see): it stops taking applications, and the retention clock of its undecided
    /// applications starts, so their due dates are stored with it. False when not found.
    /// </summary>
    public async Task<DeskResult> AddNoteAsync(StaffMember staff, Guid applicationId, string? text, CancellationToken cancellationToken)
    {
        if (!await ApplicationsOf(staff).AnyAsync(a => a.Id == applicationId, cancellationToken))
            return DeskResult.NotFound;
        if (RecruiterNote.Refusal(text) is { } refusal)
            return DeskResult.Refused(refusal);
        db.Notes.Add(RecruiterNote.Write(applicationId, staff.UserId, text!, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return DeskResult.Done();
    }

    /// <summary>Edits a note; only its author may. Someone else's note counts as not found.</summary>
    public async Task<DeskResult> EditNoteAsync(StaffMember staff, Guid applicationId, Guid noteId, string? text,
        CancellationToken cancellationToken)
    {
        var note = await OwnNoteAsync(staff, applicationId, noteId, cancellationToken);
        if (note is null)
            return DeskResult.NotFound;
        if (RecruiterNote.Refusal(text) is { } refusal)
            return DeskResult.Refused(refusal);
        note.Edit(text!, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return DeskResult.Done();
    }

    public async Task<DeskResult> DeleteNoteAsync(StaffMember staff, Guid applicationId, Guid noteId, CancellationToken cancellationToken)
    {
        var note = await OwnNoteAsync(staff, applicationId, noteId, cancellationToken);
        if (note is null)
            return DeskResult.NotFound;
        db.Notes.Remove(note);
        await db.SaveChangesAsync(cancellationToken);
        return DeskResult.Done();
    }

    private async Task<RecruiterNote?> OwnNoteAsync(StaffMember staff, Guid applicationId, Guid noteId, CancellationToken cancellationToken)
    {
        if (!await ApplicationsOf(staff).AnyAsync(a => a.Id == applicationId, cancellationToken))
            return null;
        return await db.Notes.SingleOrDefaultAsync(n => n.Id == noteId && n.ApplicationId == applicationId
                                                                       && n.AuthorUserId == staff.UserId, cancellationToken);
    }
}
