using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Portal;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>Small steps the My data tests share.</summary>
internal static class MyDataTestKit
{
    /// <summary>Posts to a My data action with the session's antiforgery token, whether or not the page shows that form.</summary>
    public static async Task<HttpResponseMessage> PostFromMyDataAsync(this PortalBrowser browser, string action,
        Dictionary<string, string>? fields = null, IEnumerable<FormFile>? files = null)
    {
        var token = PortalBrowser.AntiforgeryToken(await browser.GetPageAsync("/my/data"), "/account/logout");
        return await browser.PostAsync(action, token, fields ?? [], files);
    }

    /// <summary>Posts, expects the redirect back to My data, and returns the page it lands on.</summary>
    public static async Task<IHtmlDocument> PostAndFollowAsync(this PortalBrowser browser, string action,
        Dictionary<string, string>? fields = null, IEnumerable<FormFile>? files = null)
    {
        var response = await browser.PostFromMyDataAsync(action, fields, files);
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.StartsWith("/my/data", response.Headers.Location!.OriginalString);
        return await browser.GetPageAsync(response.Headers.Location.OriginalString);
    }

    public static string? ErrorText(this IHtmlDocument page) => page.QuerySelector(".alert-danger")?.TextContent.Trim();

    public static string? MessageText(this IHtmlDocument page) => page.QuerySelector(".alert-success")?.TextContent.Trim();

    /// <summary>Applies through the real form with the given fields (ApplyTests.Fields by default) and a PDF CV.</summary>
    public static async Task<HttpResponseMessage> ApplyWithAsync(this PortalBrowser browser, Guid postingId,
        Dictionary<string, string> fields, params FormFile[] files)
    {
        var url = $"/postings/{postingId}/apply";
        return await browser.SubmitAsync(url, url, fields,
            files.Length > 0 ? files : [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf")]);
    }

    public static Dictionary<string, string> ApplyFields(string email, string? password = "correct horse battery staple") =>
        ApplyTests.Fields(email, password);
}
