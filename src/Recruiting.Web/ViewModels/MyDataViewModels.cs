using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using Recruiting.Core.Applications;
using Recruiting.Core.Consent;
using Recruiting.Core.Rights;

namespace Recruiting.Web.ViewModels;

/// <summary>Everything the portal holds about the signed-in jobseeker, as My data shows it.</summary>
public sealed class MyDataPage
{
    public MyProfileView Profile { get; init; } = new();
    public List<MyDataApplication> Applications { get; init; } = [];
    public List<MyConsentView> Consents { get; init; } = [];
    public List<MyRequestView> Requests { get; init; } = [];

    /// <summary>An access request is being prepared: "Download my data" waits until it is done.</summary>
    public bool AccessRequestOpen { get; init; }
}

public sealed class MyProfileView
{
    /// <summary>False for an account that has never applied: there are no contact details yet.</summary>
    public bool HasProfile { get; init; }
    public string FullName { get; init; } = "";
    public string Email { get; init; } = "";
    public string Phone { get; init; } = "";
    public string? Address { get; init; }
    public DateTimeOffset? ProfileUpdatedAt { get; init; }

    public string AccountEmail { get; init; } = "";
    public bool EmailConfirmed { get; init; }
    /// <summary>An address asked for and waiting for its link to be confirmed.</summary>
    public string? PendingEmail { get; init; }
    public DateTimeOffset AccountCreatedAt { get; init; }
    public DateTimeOffset? LastSignInAt { get; init; }
}

public sealed class MyDataApplication
{
    public Guid Id { get; init; }
    public Guid JobPostingId { get; init; }
    public string JobPostingTitle { get; init; } = "";
    public ApplicationStatus Status { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? DecisionAt { get; init; }
    public DateTimeOffset? WithdrawnAt { get; init; }
    public DateTimeOffset? DeletionDueAt { get; init; }
    public bool IsRestricted { get; init; }
    public bool InTalentPool { get; init; }
    /// <summary>A CV may be replaced while the application is still under review.</summary>
    public bool CvReplaceable => JobApplication.IsOpenStatus(Status);
    public LegalBasis LegalBasis { get; init; }
    public string NoticeVersion { get; init; } = "";
    public string CoverLetter { get; init; } = "";
    public bool ObjectionOpen { get; init; }
    public List<DocumentLink> Documents { get; init; } = [];
    public List<AccessLogLine> AccessLog { get; set; } = [];
}

public sealed class MyConsentView
{
    public Guid Id { get; init; }
    public Guid? ApplicationId { get; init; }
    public string? JobPostingTitle { get; init; }
    public ConsentPurpose Purpose { get; init; }
    public string TextVersion { get; init; } = "";
    public DateTimeOffset GivenAt { get; init; }
    public DateTimeOffset? WithdrawnAt { get; init; }

    public string Text => ConsentText.TextOf(Purpose);
    public string PurposeName => Purpose == ConsentPurpose.TalentPool ? "Talent pool (future openings)" : Purpose.ToString();
}

public sealed class MyRequestView
{
    public Guid Id { get; init; }
    public RequestType Type { get; init; }
    public RequestStatus Status { get; init; }
    public string? JobPostingTitle { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? Details { get; init; }
    public string? Answer { get; init; }

    /// <summary>A completed access request whose ZIP is still kept.</summary>
    public bool ExportAvailable { get; init; }
    public DateTimeOffset? ExportExpiresAt { get; init; }

    public string TypeName => Type switch
    {
        RequestType.Access => "Copy of my data",
        RequestType.Rectification => "Correction",
        RequestType.Erasure => "Deletion",
        RequestType.Restriction => "Restriction",
        RequestType.Objection => "Objection",
        RequestType.Question => "Question",
        _ => Type.ToString(),
    };

    public string StatusName => Status == RequestStatus.OnHold ? "On hold" : Status.ToString();
}

/// <summary>Asking to move the account to another address: the link goes there, a notice to the current one.</summary>
public sealed class ChangeEmailForm
{
    [Required(ErrorMessage = "Please enter your new email address.")]
    [EmailAddress(ErrorMessage = "Please enter a valid email address.")]
    [StringLength(Applicant.EmailMaxLength)]
    [Display(Name = "New email address")]
    public string NewEmail { get; set; } = "";

    [Required(ErrorMessage = "Please enter your current password.")]
    [DataType(DataType.Password), StringLength(Recruiting.Core.Identity.PasswordRules.MaxLength)]
    [Display(Name = "Current password")]
    public string CurrentPassword { get; set; } = "";

    [BindNever, ValidateNever] public string CurrentEmail { get; set; } = "";
    [BindNever, ValidateNever] public string? PendingEmail { get; set; }
}

public sealed class RestrictForm
{
    public RestrictionGround Ground { get; set; }

    /// <summary>The jobseeker's own words, when the ground is <see cref="RestrictionGround.Other"/>.</summary>
    public string? Reason { get; set; }
}

public sealed class ObjectForm
{
    public string? Reason { get; set; }
}

/// <summary>The opt-out confirmation page; the signed token travels in the form, not in a cookie.</summary>
public sealed class OptOutPage
{
    public string Token { get; set; } = "";
}

/// <summary>The talent-pool renewal page; the signed token travels in the form, as the opt-out's does.</summary>
public sealed class RenewalPage
{
    public string Token { get; set; } = "";
}
