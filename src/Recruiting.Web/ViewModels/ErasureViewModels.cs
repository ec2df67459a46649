using System.ComponentModel.DataAnnotations;
using Recruiting.Core.Rights;

namespace Recruiting.Web.ViewModels;

/// <summary>The "Delete my data" page: what it explains, and the password asked for again.</summary>
public sealed class DeleteMyDataForm
{
    [Required(ErrorMessage = "Enter your password to confirm."), DataType(DataType.Password), Display(Name = "Your password")]
    public string Password { get; set; } = "";

    /// <summary>Rights actions need a confirmed address; without one the page offers a new confirmation link instead.</summary>
    public bool EmailConfirmed { get; set; }

    /// <summary>Their erasure request that has not finished, if any: its status and, when on hold, the answer given.</summary>
    public RequestStatus? PendingStatus { get; set; }
    public DateTimeOffset? PendingReceivedAt { get; set; }
    public string? PendingAnswer { get; set; }
}
