using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Recruiting.Web.Infrastructure;

/// <summary>
/// Reads the form first, before the antiforgery check and model binding would, so a body over the size limits answers
/// with a friendly page (413) instead of a bare 400 or 500. Files a little over the per-file limit are read and
/// refused on the form by the upload check.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UploadLimitsAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    /// <summary>Before the global antiforgery filter (order 1000), which would otherwise read the form and fail with 400.</summary>
    public int Order => -1000;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var request = context.HttpContext.Request;
        if (request.HasFormContentType)
        {
            try
            {
                await request.ReadFormAsync(context.HttpContext.RequestAborted);
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
