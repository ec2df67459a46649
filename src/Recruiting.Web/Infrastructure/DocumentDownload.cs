using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Recruiting.Core.Applications;
using Recruiting.Core.Storage;

namespace Recruiting.Web.Infrastructure;

/// <summary>
/// Serves a stored document as a download, never inline from the portal's origin, so an uploaded file cannot run
/// as a page of the portal. The file name goes into Content-Disposition encoded per RFC 6266 (filename*).
/// </summary>
public static class DocumentDownload
{
    public static async Task<IActionResult> ResultAsync(ControllerBase controller, IBlobStore blobs, ApplicationDocument document,
        CancellationToken cancellationToken)
    {
        var content = await blobs.OpenReadAsync(document.BlobName, cancellationToken);
        if (content is null)
            return controller.NotFound();

        var headers = controller.Response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.CacheControl] = "no-store";
        return new FileStreamResult(content, document.ContentType)
        {
            FileDownloadName = document.OriginalFileName, // makes it "attachment" with filename and filename*
            EnableRangeProcessing = false,
        };
    }
}
