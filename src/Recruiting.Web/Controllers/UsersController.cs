using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recruiting.Core.Identity;
using Recruiting.Core.Results;
using Recruiting.Web.Infrastructure;

namespace Recruiting.Web.Controllers;

[Authorize(Policy = Policies.HrOnly)]
[Route("admin/users")]
public sealed class UsersController(StaffAdmin admin) : Controller
{
    public sealed class InviteForm
    {
        [Required, EmailAddress, Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Display(Name = "Role")]
        public string Role { get; set; } = Roles.Recruiter;
    }

    [HttpGet("")]
    public async Task<IActionResult> Index(string? role, CancellationToken cancellationToken)
    {
        ViewData["Role"] = role;
        return View(await admin.UsersAsync(string.IsNullOrEmpty(role) ? null : role, cancellationToken));
    }

    [HttpPost("invite")]
    public async Task<IActionResult> Invite(InviteForm form, CancellationToken cancellationToken)
    {
        var result = ModelState.IsValid
            ? await admin.InviteAsync(form.Email.Trim(), form.Role, cancellationToken)
            : DeskResult.Refused("Enter a valid email address.");
        return Done(result, "Invitation sent.");
    }

    [HttpPost("{id:guid}/role")]
    public async Task<IActionResult> Role(Guid id, string role) =>
        Done(await admin.ChangeRoleAsync(User.RequiredUserId(), id, role), "Role changed.");

    [HttpPost("{id:guid}/deactivate")]
    public async Task<IActionResult> Deactivate(Guid id) =>
        Done(await admin.SetActiveAsync(User.RequiredUserId(), id, active: false), "Account deactivated; its sessions end within a minute.");

    [HttpPost("{id:guid}/activate")]
    public async Task<IActionResult> Activate(Guid id) =>
        Done(await admin.SetActiveAsync(User.RequiredUserId(), id, active: true), "Account activated.");

    private IActionResult Done(DeskResult result, string success)
    {
        TempData[result.Refusal is null ? "Message" : "Error"] = result.Refusal ?? success;
        return RedirectToAction(nameof(Index));
    }
}
