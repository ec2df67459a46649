using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Recruiting.Core.Uploads;

namespace Recruiting.Web.Infrastructure;

/// <summary>
/// About 1 MB of request body for every action but the two that take uploads (marked <see cref="UploadLimitsAttribute"/>),
/// which get what their files may add up to. No form of the portal comes near 1 MB without a file, so a larger body is
/// only a way to tie up the server. A body declared larger is refused with 413 before it is read; one sent in chunks is
/// cut off by the server at the limit.
/// </summary>
public static class RequestBodyLimits
{
    public const long OtherRequestBytes = 1024 * 1024;

    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var upload = context.GetEndpoint()?.Metadata.GetMetadata<UploadLimitsAttribute>() is not null;
            var limit = upload
                ? UploadLimitsAttribute.UploadRequestBytes(context.RequestServices.GetRequiredService<IOptions<UploadOptions>>().Value)
                : OtherRequestBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = limit;
            // An upload over its limit is left to UploadLimitsAttribute, which answers with the form's own "too large" page.
            if (!upload && context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }
            if (!upload)
            {
                await next(context);
                return;
            }
            try
            {
                await next(context);
            }
            finally
            {
                // Before the response completes, so nothing of a refused upload is left once its answer arrives.
                await StagedUploads.DeleteUnkeptAsync(context);
            }
        });
}
