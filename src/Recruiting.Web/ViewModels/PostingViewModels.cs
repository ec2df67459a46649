using System.ComponentModel.DataAnnotations;
using Recruiting.Core.Postings;

namespace Recruiting.Web.ViewModels;

public sealed class PostingSummary
{
    public Guid Id { get; set; }
    public string Title { get; set; } = "";
    public string Location { get; set; } = "";
    public DateTimeOffset? OpenedAt { get; set; }
}

public sealed class PostingDetails
{
    public Guid Id { get; set; }
    public string Title { get; set; } = "";
    public string Location { get; set; } = "";
    public string Description { get; set; } = "";
    public bool AcceptsApplications { get; set; }
}

public sealed class ManagedPostingRow
{
    public Guid Id { get; set; }
    public string Title { get; set; } = "";
    public string Location { get; set; } = "";
    public PostingStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}

public sealed class PostingForm
{
    [Required, StringLength(JobPosting.TitleMaxLength), Display(Name = "Title")]
    public string Title { get; set; } = "";

    [Required, StringLength(JobPosting.LocationMaxLength), Display(Name = "Location")]
    public string Location { get; set; } = "";

    [Required, StringLength(JobPosting.DescriptionMaxLength), Display(Name = "Description")]
    public string Description { get; set; } = "";
}
