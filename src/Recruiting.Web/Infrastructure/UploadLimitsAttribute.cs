using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Recruiting.Core.Applications;
using Recruiting.Core.Uploads;

namespace Recruiting.Web.Infrastructure;

/// <summary>
/// Marks the actions that take uploads: only they may receive more than <see cref="RequestBodyLimits.OtherRequestBytes"/>,
/// up to what their files may add up to (<see cref="RequestBodyLimits"/>). Reads the form first, before the antiforgery
/// check and model binding would, each file straight into the blob store (<see cref="StagedUploads"/>), so a body over the
/// size limits answers with a friendly page (413) instead of a bare 400 or 500. Files a little over the per-file limit are read and
/// refused on the form by the upload check.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UploadLimitsAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    /// <summary>Before the global antiforgery filter (order 1000), which would otherwise read the form and fail with 400.</summary>
    public int Order => -1000;

    /// <summary>A file up to this size is read (and refused on the form when over the per-file limit).</summary>
    public static long ReadableFileBytes(UploadOptions uploads) => 2 * uploads.MaxFileBytes;

    /// <summary>The largest body of an upload action: every file at its readable size, plus the form's fields.</summary>
    public static long UploadRequestBytes(UploadOptions uploads) =>
        ReadableFileBytes(uploads) * (1 + JobApplication.MaxFurtherDocuments) + RequestBodyLimits.OtherRequestBytes;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var request = context.HttpContext.Request;
        if (request.HasFormContentType)
        {
            try
            {
                await StagedUploads.ReadFormAsync(context.HttpContext);
            }
            catch (Exception ex) when (IsTooLarge(ex))
            {
                context.Result = new ViewResult
                {
                    ViewName = "TooLarge",
                    StatusCode = StatusCodes.Status413PayloadTooLarge,
                    ViewData = new ViewDataDictionary(
                        context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>(), context.ModelState),
                };
            }
        }
    }

    private static bool IsTooLarge(Exception ex) =>
        ex is InvalidDataException || ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge };
}
