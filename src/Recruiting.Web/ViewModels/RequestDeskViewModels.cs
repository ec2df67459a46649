using System.ComponentModel.DataAnnotations;
using Recruiting.Core.Rights;

namespace Recruiting.Web.ViewModels;

public sealed record RequestListPage(RequestPage Requests, int OverdueCount)
{
    public string PageUrl(int page) =>
        $"/manage/requests?page={page}" + (Requests.Filter == RequestFilter.All ? "" : $"&show={Requests.Filter.ToString().ToLowerInvariant()}");
}

public sealed record RequestDetailsPage(RequestCase Case, DateTimeOffset Now, string? Error)
{
    /// <summary>The latest due date an extension may set: received plus three months (Art. 12(3)).</summary>
    public DateOnly LatestDueDate =>
        DateOnly.FromDateTime(Case.Request.ReceivedAt.AddMonths(1 + DataSubjectRequest.MaxExtensionMonths).UtcDateTime);

    public DateOnly EarliestDueDate => DateOnly.FromDateTime(Case.Request.DueAt.UtcDateTime).AddDays(1);

    public bool CanExtend => Case.Request.IsOpen && Case.Request.ExtendedAt is null && Now <= Case.Request.DueAt && Case.Subject is not null;

    public bool CanAnswer => Case.Request.AnsweredByHr && Case.Request.IsOpen && Case.Subject is not null;
}

public sealed class ExtendForm
{
    [Display(Name = "New due date")]
    public DateOnly? NewDueDate { get; set; }

    [Display(Name = "Reason (sent to the jobseeker)")]
    public string? Reason { get; set; }
}

public sealed class AnswerForm
{
    [Display(Name = "Outcome")]
    public RequestOutcome Outcome { get; set; }

    [Display(Name = "Answer (sent to the jobseeker)")]
    public string? Answer { get; set; }
}

public sealed class ContactForm
{
    [Display(Name = "Your question or complaint")]
    public string? Message { get; set; }
}

/// <summary>What the contact page shows: the form for a jobseeker, a sign-in hint for visitors, a note for staff.</summary>
public sealed record ContactPage(ContactAudience Audience, string ContactEmail, string? Message, string? Error);

public enum ContactAudience { Visitor, Jobseeker, Staff }
