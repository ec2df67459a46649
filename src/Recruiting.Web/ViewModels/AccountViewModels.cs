using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using Recruiting.Core.Identity;

namespace Recruiting.Web.ViewModels;

public sealed class LoginForm
{
    [Required, EmailAddress, Display(Name = "Email")]
    public string Email { get; set; } = "";

    [Required, DataType(DataType.Password), Display(Name = "Password")]
    public string Password { get; set; } = "";

    public string? ReturnUrl { get; set; }
}

/// <summary>The mailed confirmation link's values, carried from its page to the button that confirms.</summary>
public sealed class ConfirmEmailForm
{
    public Guid UserId { get; set; }
    public string Code { get; set; } = "";

    /// <summary>Asked only when the link activates a new account: the password chosen on the apply form.</summary>
    [DataType(DataType.Password), StringLength(PasswordRules.MaxLength), Display(Name = "The password you chose when applying")]
    public string? Password { get; set; }

    [BindNever, ValidateNever] public bool NeedsPassword { get; set; }
}

/// <summary>The page a mailed email-change link opens; only its button (a POST) changes the address.</summary>
public sealed class ConfirmEmailChangeForm
{
    public Guid UserId { get; set; }
    public string Code { get; set; } = "";
}

public sealed class SetPasswordForm
{
    public Guid UserId { get; set; }
    public string Code { get; set; } = "";

    [Required, DataType(DataType.Password), StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength), Display(Name = "New password")]
    public string Password { get; set; } = "";
}

public sealed class ForgotPasswordForm
{
    [Required, EmailAddress, Display(Name = "Email")]
    public string Email { get; set; } = "";
}

public sealed class ChangePasswordForm
{
    [Required, DataType(DataType.Password), Display(Name = "Current password")]
    public string CurrentPassword { get; set; } = "";

    [Required, DataType(DataType.Password), StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength), Display(Name = "New password")]
    public string NewPassword { get; set; } = "";

    [Required, DataType(DataType.Password), Compare(nameof(NewPassword), ErrorMessage = "The two new passwords differ."), Display(Name = "New password again")]
    public string ConfirmNewPassword { get; set; } = "";
}
