using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recruiting.Core.Privacy;
using Recruiting.Core.Retention;
using Recruiting.Web.Infrastructure;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Controllers;

/// <summary>HR's read-only retention reports: documents whose file is missing, and the record of processing (Art. 30).</summary>
[Authorize(Policy = Policies.HrOnly)]
public sealed class RetentionReportsController : Controller
{
    [HttpGet("manage/retention/missing-documents")]
    public async Task<IActionResult> MissingDocuments([FromServices] MissingDocuments missing, int from = 0,
        CancellationToken cancellationToken = default) =>
        View(new MissingDocumentsPage(await missing.CheckAsync(from, cancellationToken)));

    [HttpGet("manage/record-of-processing")]
    public async Task<IActionResult> RecordOfProcessing([FromServices] RecordOfProcessing record, CancellationToken cancellationToken) =>
        View(await record.BuildAsync(cancellationToken));
}
