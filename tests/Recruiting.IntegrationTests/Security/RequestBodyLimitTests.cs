using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Portal;
using Recruiting.IntegrationTests.Rights;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Security;

/// <summary>
/// On the real server (Kestrel, which enforces the limit; the in-memory test server does not), a request body over
/// about 1 MB is refused with 413 everywhere but the two upload actions, which still take files of several MB.
/// </summary>
public sealed class RequestBodyLimitTests : IDisposable
{
    private readonly PortalFactory _portal = new();
    private readonly Uri _address;

    public RequestBodyLimitTests()
    {
        _portal.UseKestrel(0);
        _portal.StartServer();
        _address = new Uri(_portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public void Dispose() => _portal.Dispose();

    private PortalBrowser Browser() => new(new HttpClient(new HttpClientHandler
        { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = _address });

    [Fact]
    public async Task A_2_MB_form_post_to_the_sign_in_form_is_refused_with_413()
    {
        var response = await Browser().SubmitAsync("/account/login", "/account/login", new Dictionary<string, string>
        {
            ["Email"] = "someone@example.test",
            ["Password"] = new string('x', 2 * 1024 * 1024),
        });

        HttpAssert.Status(HttpStatusCode.RequestEntityTooLarge, response);
    }

    [Fact]
    public async Task The_apply_form_and_the_CV_replacement_still_take_files_over_1_MB()
    {
        var posting = await _portal.CreatePostingAsync();
        var browser = Browser();
        var url = $"/postings/{posting}/apply";
        var applied = await browser.SubmitAsync(url, url, ApplyTests.Fields("large-cv@example.test"),
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(3 * 1024 * 1024 / 2), "application/pdf")]);
        HttpAssert.Redirect($"/postings/{posting}/apply/sent", applied);
        HttpAssert.Redirect("/my/applications", await _portal.FollowConfirmationLinkAsync(browser, "large-cv@example.test"));

        var applicationId = (await _portal.WithDbAsync(db => Task.FromResult(db.Applications.Single().Id)));
        var before = await _portal.WithDbAsync(db => Task.FromResult(db.Documents.Single(d => d.ApplicationId == applicationId).BlobName));
        var page = await browser.PostAndFollowAsync($"/my/applications/{applicationId}/cv",
            files: [new FormFile("cv", "cv2.pdf", SampleFiles.Pdf(3 * 1024 * 1024 / 2), "application/pdf")]);
        Assert.Null(page.ErrorText());
        Assert.NotEqual(before, await _portal.WithDbAsync(db => Task.FromResult(db.Documents.Single(d => d.ApplicationId == applicationId).BlobName)));
    }
}
