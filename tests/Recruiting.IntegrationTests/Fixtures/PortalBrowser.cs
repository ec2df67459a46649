using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Recruiting.IntegrationTests.Fixtures;

/// <summary>
/// Drives the portal like a browser without JavaScript: keeps cookies, reads forms from the HTML and posts them
/// back with their antiforgery token.
/// </summary>
public sealed class PortalBrowser(HttpClient client)
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Client { get; } = client;

    public async Task<IHtmlDocument> GetPageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.GetAsync(url);
        HttpAssert.Status(expected, response);
        return await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    public static string AntiforgeryToken(IHtmlDocument page, string formAction)
    {
        var form = page.QuerySelectorAll<IHtmlFormElement>("form")
                       .FirstOrDefault(f => f.GetAttribute("action") == formAction)
                   ?? throw new InvalidOperationException($"No form posting to {formAction} on the page.");
        return form.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")?.Value
               ?? throw new InvalidOperationException($"The form posting to {formAction} has no antiforgery token.");
    }

    /// <summary>Fetches <paramref name="pageUrl"/>, then posts the form that targets <paramref name="formAction"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pageUrl, string formAction,
        IDictionary<string, string> fields, IEnumerable<FormFile>? files = null)
    {
        var page = await GetPageAsync(pageUrl);
        var token = AntiforgeryToken(page, formAction);
        var hidden = page.QuerySelectorAll<IHtmlInputElement>($"form[action='{formAction}'] input[type=hidden]")
            .Where(i => !string.IsNullOrEmpty(i.Name) && i.Name != "__RequestVerificationToken")
            .ToDictionary(i => i.Name!, i => i.Value);
        return await PostAsync(formAction, token, hidden.Concat(fields.Where(f => !hidden.ContainsKey(f.Key)))
            .ToDictionary(), files);
    }

    public async Task<HttpResponseMessage> PostAsync(string formAction, string? token, IDictionary<string, string> fields,
        IEnumerable<FormFile>? files = null)
    {
        HttpContent content;
        var all = token is null ? fields : new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        if (files is null)
        {
            content = new FormUrlEncodedContent(all);
        }
        else
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (name, value) in all)
                multipart.Add(new StringContent(value), name);
            foreach (var file in files)
            {
                var part = new ByteArrayContent(file.Bytes);
                part.Headers.ContentType = new MediaTypeHeaderValue(file.ContentType);
                multipart.Add(part, file.Field, file.FileName);
            }
            content = multipart;
        }
        return await Client.PostAsync(formAction, content);
    }

    /// <summary>
    /// Opens a mailed confirmation link (absolute or a path) and presses the button on its page, giving the password
    /// chosen when applying where the page asks for it (a new account's first confirmation).
    /// </summary>
    public Task<HttpResponseMessage> ConfirmFromLinkAsync(string link, string? password = null) =>
        SubmitAsync(link.StartsWith("http", StringComparison.Ordinal) ? new Uri(link).PathAndQuery : link, "/account/confirm-email",
            password is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Password"] = password });

    public async Task SignInAsync(string email, string password)
    {
        var response = await SubmitAsync("/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        HttpAssert.Status(HttpStatusCode.Redirect, response);
    }
}

public sealed record FormFile(string Field, string FileName, byte[] Bytes, string ContentType = "application/octet-stream");
