using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using Recruiting.Core.Applications;

namespace Recruiting.Web.ViewModels;

/// <summary>The contact details but the email address, as the apply form takes them and My data corrects them (Art. 16), validated alike.</summary>
public abstract class ContactFieldsForm
{
    [Required(ErrorMessage = "Please enter your full name.")]
    [StringLength(Applicant.FullNameMaxLength)]
    [Display(Name = "Full name")]
    public string FullName { get; set; } = "";

    [Required(ErrorMessage = "Please enter a phone number.")]
    [Phone(ErrorMessage = "Please enter a valid phone number.")]
    [StringLength(Applicant.PhoneMaxLength)]
    [Display(Name = "Phone")]
    public string Phone { get; set; } = "";

    [StringLength(Applicant.AddressMaxLength)]
    [Display(Name = "Address")]
    public string? Address { get; set; }
}

/// <summary>
/// My data's correction form. The email address is shown, never bound: it is the sign-in name, and moves only
/// through its own two-step form (EmailChanges).
/// </summary>
public sealed class CorrectDetailsForm : ContactFieldsForm
{
    [BindNever, ValidateNever] public string AccountEmail { get; set; } = "";
}

/// <summary>The contact details a visitor gives on the apply form.</summary>
public class ContactDetailsForm : ContactFieldsForm
{
    [Required(ErrorMessage = "Please enter your email address.")]
    [EmailAddress(ErrorMessage = "Please enter a valid email address.")]
    [StringLength(Applicant.EmailMaxLength)]
    [Display(Name = "Email")]
    public string Email { get; set; } = "";

    public ContactDetails ToContact() => new(FullName, Email, Phone, Address);
}

public sealed class ApplyForm : ContactDetailsForm
{
    [Required(ErrorMessage = "Please write a short cover letter.")]
    [StringLength(JobApplication.CoverLetterMaxLength)]
    [Display(Name = "Cover letter")]
    public string CoverLetter { get; set; } = "";

    [Display(Name = "CV")]
    public IFormFile? Cv { get; set; }

    [Display(Name = "Further documents")]
    public List<IFormFile> FurtherDocuments { get; set; } = [];

    /// <summary>Talent-pool consent: a separate choice, unticked unless the applicant ticks it.</summary>
    [Display(Name = "Keep my application for future openings")]
    public bool KeepForFutureOpenings { get; set; }

    /// <summary>Only asked of visitors who are not signed in: it creates their account.</summary>
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string? Password { get; set; }

    /// <summary>The notice version the form showed, so the application records what the applicant was told.</summary>
    public string NoticeVersion { get; set; } = "";

    // What the page shows around the form; filled by the controller, never bound from the request.
    [BindNever, ValidateNever] public PostingDetails Posting { get; set; } = new();
    [BindNever, ValidateNever] public bool CreatesAccount { get; set; }
    /// <summary>
    /// A signed-in jobseeker's name (once they have a profile) and address come from the account and are shown, not
    /// asked: the name is corrected under My data and the address changes in two steps, never through this form.
    /// </summary>
    [BindNever, ValidateNever] public bool NameFromAccount { get; set; }
    [BindNever, ValidateNever] public long MaxFileBytes { get; set; }
    [BindNever, ValidateNever] public Recruiting.Core.Privacy.PrivacyNotice? Notice { get; set; }
}
