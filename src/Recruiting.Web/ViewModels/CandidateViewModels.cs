using System.ComponentModel.DataAnnotations;
using Recruiting.Core.Applications;
using Recruiting.Core.Review;

namespace Recruiting.Web.ViewModels;

public sealed record AssignRecruitersPage(Guid PostingId, string PostingTitle, List<RecruiterChoice> Recruiters);

public sealed record RecruiterChoice(Guid UserId, string Email, bool Assigned);

public sealed record CandidateListPage(Guid PostingId, string PostingTitle, CandidatePage Candidates,
    ApplicationStatus? Status, string? Search, bool OldestFirst)
{
    public string PageUrl(int page) =>
        $"/manage/postings/{PostingId}/candidates?page={page}"
        + (Status is null ? "" : $"&status={Status}")
        + (string.IsNullOrEmpty(Search) ? "" : $"&q={Uri.EscapeDataString(Search)}")
        + (OldestFirst ? "&sort=oldest" : "");
}

public sealed record CandidateNoteView(Guid Id, string Text, string AuthorEmail, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, bool Mine);

public sealed record CandidatePageView(JobApplication Application, IReadOnlyList<CandidateNoteView> Notes, string? Error);

public sealed class NoteForm
{
    [Required(ErrorMessage = "A note cannot be empty.")]
    [StringLength(Core.Applications.RecruiterNote.TextMaxLength, ErrorMessage = "A note can be at most {1} characters.")]
    public string? Text { get; set; }
}

public sealed record AccessLogLine(Guid ApplicationId, string ActorRole, AccessAction Action, DocumentKind? DocumentKind, DateTimeOffset At)
{
    /// <summary>How close together one person's repeated views read as one visit (each action on the candidate page reloads it).</summary>
    public static readonly TimeSpan OneVisit = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The applicant's view of the log, newest first: every download, and each staff member's visit once, however
    /// often the page reloaded during it. The full log stays in the database (and in the data export).
    /// </summary>
    public static List<AccessLogLine> Summarise(IEnumerable<AccessLogEntry> entriesOldestFirst)
    {
        var lines = new List<AccessLogLine>();
        var lastViewBy = new Dictionary<Guid, DateTimeOffset>();
        foreach (var e in entriesOldestFirst)
        {
            if (e.Action == AccessAction.ViewedApplication)
            {
                var repeat = lastViewBy.TryGetValue(e.ActorUserId, out var last) && e.At - last < OneVisit;
                lastViewBy[e.ActorUserId] = e.At;
                if (repeat) continue;
            }
            lines.Add(new AccessLogLine(e.ApplicationId, e.ActorRole, e.Action, e.DocumentKind, e.At));
        }
        lines.Reverse();
        return lines;
    }

    /// <summary>As the applicant reads it: "A recruiter viewed your application", "HR downloaded your CV".</summary>
    public string Sentence
    {
        get
        {
            var who = ActorRole == Core.Identity.Roles.HR ? "HR" : "A recruiter";
            return Action == AccessAction.ViewedApplication
                ? $"{who} viewed your application"
                : $"{who} downloaded your {(DocumentKind == Core.Applications.DocumentKind.Cv ? "CV" : "document")}";
        }
    }
}
