using AutoMapper;
using AutoMapper.QueryableExtensions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.Core.Storage;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

[Authorize(Roles = Roles.Jobseeker)]
[Route("my/applications")]
public sealed class MyApplicationsController(RecruitingDbContext db, IMapper mapper) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var userId = User.RequiredUserId();
        var rows = await db.Applications
            .Where(a => a.Applicant.UserId == userId)
            .OrderByDescending(a => a.SubmittedAt)
            .ProjectTo<MyApplicationRow>(mapper.ConfigurationProvider)
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var log = await db.AccessLog
            .Where(e => ids.Contains(e.ApplicationId))
            .OrderBy(e => e.At)
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
            row.AccessLog = AccessLogLine.Summarise(log.Where(e => e.ApplicationId == row.Id));
        return View(rows);
    }

    [HttpPost("{id:guid}/withdraw")]
    public async Task<IActionResult> Withdraw(Guid id, [FromServices] SelfService selfService, CancellationToken cancellationToken)
    {
        var result = await selfService.WithdrawAsync(User.RequiredUserId(), id, cancellationToken);
        if (!result.Found)
            return NotFound();
        TempData[result.Succeeded ? "Message" : "Error"] = result.Refusal ?? result.Message;
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("/my/documents/{id:guid}")]
    public async Task<IActionResult> Document(Guid id, [FromServices] IBlobStore blobs, CancellationToken cancellationToken)
    {
        var userId = User.RequiredUserId();
        var document = await db.Documents
            .Where(d => d.Id == id && db.Applications.Any(a => a.Id == d.ApplicationId && a.Applicant.UserId == userId))
            .SingleOrDefaultAsync(cancellationToken);
        return document is null ? NotFound() : await DocumentDownload.ResultAsync(this, blobs, document, cancellationToken);
    }
}
