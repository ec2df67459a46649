using System.ComponentModel.DataAnnotations;

namespace Recruiting.Web.ViewModels;

public sealed class LoginForm
{
    [Required, EmailAddress, Display(Name = "Email")]
    public string Email { get; set; } = "";

    [Required, DataType(DataType.Password), Display(Name = "Password")]
    public string Password { get; set; } = "";

    public string? ReturnUrl { get; set; }
}

public sealed class SetPasswordForm
{
    public Guid UserId { get; set; }
    public string Code { get; set; } = "";

    [Required, DataType(DataType.Password), StringLength(128, MinimumLength = 12), Display(Name = "New password")]
    public string Password { get; set; } = "";
}
