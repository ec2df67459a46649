using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Recruiting.Web.Infrastructure;

/// <summary>
/// Reads the form before model binding so a body over the size limits answers with a friendly page (413)
/// instead of a bare error. Single files over the per-file limit never get here: the upload check refuses them on the form.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UploadLimitsAttribute : Attribute, IAsyncResourceFilter
{
    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
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
                return;
            }
        }
        await next();
    }

    private static bool IsTooLarge(Exception ex) =>
        ex is InvalidDataException || ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge };
}
