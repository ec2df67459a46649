using AutoMapper;
using AutoMapper.QueryableExtensions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
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
        return View(rows);
    }
}
