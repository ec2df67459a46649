using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.Web.Infrastructure;

namespace Recruiting.Web.Controllers;

/// <summary>The "Download my data" ZIP: only its owner, signed in, while it exists; anyone else gets 404.</summary>
[Authorize(Roles = Roles.Jobseeker)]
public sealed class MyExportsController(ExportDownloads downloads) : Controller
{
    [HttpGet("/my/data/exports/{requestId:guid}")]
    public async Task<IActionResult> Download(Guid requestId, CancellationToken cancellationToken)
    {
        var export = await downloads.OpenAsync(User.RequiredUserId(), requestId, cancellationToken);
        if (export is null)
            return NotFound();

        Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        Response.Headers[HeaderNames.CacheControl] = "no-store";
        return new FileStreamResult(export.Content, "application/zip")
        {
            FileDownloadName = $"my-data-{export.MadeAt.UtcDateTime:yyyy-MM-dd}.zip",
            EnableRangeProcessing = false,
        };
    }
}
