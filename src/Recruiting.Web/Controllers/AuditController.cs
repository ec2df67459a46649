using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recruiting.Core.Rights;
using Recruiting.Web.Infrastructure;

namespace Recruiting.Web.Controllers;

/// <summary>The audit log for HR: ids, roles, actions, counts and times; it holds no personal data to show.</summary>
[Authorize(Policy = Policies.HrOnly)]
public sealed class AuditController(RequestDesk desk) : Controller
{
    [HttpGet("manage/audit")]
    public async Task<IActionResult> Index(Guid? request, int page = 1, CancellationToken cancellationToken = default) =>
        View(await desk.AuditAsync(page, request, cancellationToken));
}
