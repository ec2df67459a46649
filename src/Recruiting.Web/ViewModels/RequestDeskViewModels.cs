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

/// <summary>A request received by mail, phone or post, as HR logs it on the desk.</summary>
public sealed class LogRequestForm
{
    [Display(Name = "Applicant's email address (exactly as they applied with it)")]
    public string? ApplicantEmail { get; set; }

    [Display(Name = "Type")]
    public RequestType Type { get; set; } = RequestType.Access;

    [Display(Name = "Received by")]
    public RequestChannel Channel { get; set; } = RequestChannel.Mail;

    [Display(Name = "Date received")]
    public DateOnly? Received { get; set; }

    [Display(Name = "How you verified their identity")]
    public string? IdentityVerification { get; set; }

    public LoggedRequest ToLogged() => new(ApplicantEmail, Type, Channel, Received, IdentityVerification);
}

public sealed record LogRequestPage(LogRequestForm Form, string? Error, DateOnly Today);

/// <summary>A visitor's access or erasure request: the address to mail the link to, and the right.</summary>
public sealed class VisitorRequestForm
{
    [Display(Name = "Your email address")]
    public string? Email { get; set; }

    [Display(Name = "What you ask for")]
    public RequestType Type { get; set; } = RequestType.Access;
}

/// <summary>The page a mailed link opens: one button, so that mail scanners opening links file nothing.</summary>
public sealed record VisitorConfirmPage(Guid Id, string? Token);

public sealed class ContactForm
{
    [Display(Name = "Your question or complaint")]
    public string? Message { get; set; }
}

/// <summary>What the contact page shows: the form for a jobseeker, a sign-in hint for visitors, a note for staff.</summary>
public sealed record ContactPage(ContactAudience Audience, string ContactEmail, string? Message, string? Error,
    string? VisitorEmail = null, string? VisitorError = null);

public enum ContactAudience { Visitor, Jobseeker, Staff }
