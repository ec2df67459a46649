using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recruiting.Core.Retention;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>HR's view of the retention enforcement job: its recent runs, a "run now" button, and the anonymous statistics.</summary>
[Authorize(Policy = Policies.HrOnly)]
[Route("manage/retention/runs")]
public sealed class RetentionRunsController(RetentionReport report, IRecurringJobManager recurring) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(new RetentionRunsPage(await report.RecentRunsAsync(cancellationToken), await report.StatisticsAsync(cancellationToken),
            await report.OrphanSweepAsync(cancellationToken)));

    /// <summary>Triggers the recurring job now (as the dashboard's "Trigger now" does); it runs in the background.</summary>
    [HttpPost("run")]
    public IActionResult Run()
    {
        recurring.Trigger(RetentionJob.RecurringJobId);
        TempData["Message"] = "The retention run has started in the background. Reload this page to see it.";
        return RedirectToAction(nameof(Index));
    }
}
