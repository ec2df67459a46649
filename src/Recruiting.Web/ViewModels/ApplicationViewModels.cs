using Recruiting.Core.Applications;

namespace Recruiting.Web.ViewModels;

public sealed class MyApplicationRow
{
    public Guid Id { get; set; }
    public Guid JobPostingId { get; set; }
    public string JobPostingTitle { get; set; } = "";
    public ApplicationStatus Status { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset? DeletionDueAt { get; set; }
    public bool IsOpen { get; set; }
    public List<DocumentLink> Documents { get; set; } = [];

    /// <summary>Who looked at this application; filled by the controller from the access log.</summary>
    public List<AccessLogLine> AccessLog { get; set; } = [];
}

public sealed class DocumentLink
{
    public Guid Id { get; set; }
    public DocumentKind Kind { get; set; }
    public string OriginalFileName { get; set; } = "";
    public long Size { get; set; }
}

public sealed class SubmittedPage
{
    public Guid ApplicationId { get; set; }
    public string JobPostingTitle { get; set; } = "";
    public DateTimeOffset SubmittedAt { get; set; }
}
