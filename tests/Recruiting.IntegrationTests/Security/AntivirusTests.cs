using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Applications;
using Recruiting.Core.Uploads;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Portal;
using Recruiting.IntegrationTests.Rights;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Security;

/// <summary>
/// With the scanner on, every upload goes to a real clamd before anything is stored. The EICAR test
/// string inside a valid PDF or DOCX is refused with a generic message; a scanner without a verdict (over its size
/// limit, or stopped) makes the upload fail closed with "try again later". Either way nothing is stored: no blob, no
/// row, no account for a new visitor. The logs say the verdict, never the file's name.
/// </summary>
public sealed class AntivirusTests : IClassFixture<ClamdFixture>, IAsyncLifetime
{
    private readonly ClamdFixture _clamd;
    private readonly PortalFactory _portal = new();
    private readonly string _marker = "Zq" + Guid.NewGuid().ToString("N")[..12];
    private Guid _postingId;

    public AntivirusTests(ClamdFixture clamd)
    {
        _clamd = clamd;
        _clamd.Configure(_portal);
    }

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync();

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private string ApplyUrl => $"/postings/{_postingId}/apply";

    [Fact]
    public async Task Eicar_inside_a_valid_pdf_cv_is_refused_and_nothing_is_stored()
    {
        var pdf = SampleFiles.PdfWithEicar();
        Assert.True(ContentCheckAccepts($"{_marker}.pdf", pdf), "The content check alone must accept it: the refusal is the scanner's.");

        var page = await ApplyAsNewVisitorAsync([new FormFile("Cv", $"{_marker}.pdf", pdf, "application/pdf")]);

        Assert.Equal($"{_marker}.pdf: {UploadRefusals.Infected}", FieldError(page, ApplicationIntake.CvField));
        await AssertNothingStoredAsync();
        AssertLogsNameTheVerdictButNotTheFile("Infected");
    }

    [Fact]
    public async Task Eicar_inside_a_valid_docx_further_document_refuses_the_application_and_nothing_is_stored()
    {
        var docx = SampleFiles.DocxWithEicar();
        Assert.True(ContentCheckAccepts("references.docx", docx));

        var page = await ApplyAsNewVisitorAsync(
        [
            new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf"),
            new FormFile("FurtherDocuments", $"{_marker}.docx", docx),
        ]);

        Assert.Equal($"{_marker}.docx: {UploadRefusals.Infected}", FieldError(page, ApplicationIntake.FurtherDocumentsField));
        Assert.Null(FieldError(page, ApplicationIntake.CvField));
        await AssertNothingStoredAsync();
        AssertLogsNameTheVerdictButNotTheFile("Infected");
    }

    [Fact]
    public async Task A_clean_cv_and_further_document_pass_the_scanner_and_are_stored()
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var response = await browser.SubmitAsync(ApplyUrl, ApplyUrl, ApplyTests.Fields($"clean-{_marker}@example.test"),
        [
            new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf"),
            new FormFile("FurtherDocuments", "references.docx", SampleFiles.Docx()),
        ]);

        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.Equal(2, await _portal.WithDbAsync(db => db.Documents.CountAsync()));
        Assert.Equal(2, _portal.BlobFiles().Count);
    }

    [Fact]
    public async Task A_file_over_clamds_stream_limit_fails_closed_and_nothing_is_stored()
    {
        // Under the portal's own 10 MB limit, over the clamd's: a misconfigured scanner must not let files through unscanned.
        var page = await ApplyAsNewVisitorAsync(
            [new FormFile("Cv", $"{_marker}.pdf", SampleFiles.Pdf(ClamdFixture.StreamMaxBytes + 64 * 1024), "application/pdf")]);

        Assert.Contains(UploadRefusals.ScannerUnavailable, FormErrors(page));
        await AssertNothingStoredAsync();
        Assert.Contains("size limit exceeded", _portal.Logs.Errors());
        AssertLogsNameTheVerdictButNotTheFile("Unavailable");
    }

    [Fact]
    public async Task A_cv_replacement_is_scanned_too_and_an_infected_one_leaves_the_old_cv_in_place()
    {
        var (browser, applicationId) = await _portal.ApplyAsync(_postingId, $"replace-{_marker}@example.test");
        var before = await CvBlobAsync(applicationId);

        var page = await browser.PostAndFollowAsync($"/my/applications/{applicationId}/cv",
            files: [new FormFile("cv", $"{_marker}.docx", SampleFiles.DocxWithEicar())]);

        Assert.Equal($"{_marker}.docx: {UploadRefusals.Infected}", page.ErrorText());
        Assert.Equal(before, await CvBlobAsync(applicationId));
        Assert.Single(_portal.BlobFiles());
        AssertLogsNameTheVerdictButNotTheFile("Infected");

        var replaced = await browser.PostAndFollowAsync($"/my/applications/{applicationId}/cv",
            files: [new FormFile("cv", "new cv.docx", SampleFiles.Docx())]);
        Assert.Null(replaced.ErrorText());
        Assert.NotEqual(before, await CvBlobAsync(applicationId));
    }

    /// <summary>Its own clamd and portal, so that stopping that clamd disturbs no other test.</summary>
    [Fact]
    public async Task With_clamd_stopped_uploads_fail_closed_with_try_again_later_and_nothing_is_stored()
    {
        await using var clamd = new OwnedClamd();
        await clamd.Fixture.InitializeAsync();
        using var portal = new PortalFactory();
        clamd.Fixture.Configure(portal);
        var posting = await portal.CreatePostingAsync();
        var (jobseeker, applicationId) = await portal.ApplyAsync(posting, $"before-{_marker}@example.test"); // scanned: clamd is up
        var cvBefore = await portal.WithDbAsync(db => db.Documents.Where(d => d.ApplicationId == applicationId).Select(d => d.BlobName).SingleAsync());

        Assert.Equal("Healthy", (await HealthAsync(portal)).Checks["antivirus"]);

        await clamd.Fixture.StopAsync();
        // Degraded, not Unhealthy: a load balancer keeps the instance, whose other pages still work.
        Assert.Equal("Degraded", (await HealthAsync(portal)).Checks["antivirus"]);

        var visitor = new PortalBrowser(portal.CreateBrowserClient());
        var url = $"/postings/{posting}/apply";
        var response = await visitor.SubmitAsync(url, url, ApplyTests.Fields($"after-{_marker}@example.test"),
            [new FormFile("Cv", $"{_marker}.pdf", SampleFiles.Pdf(), "application/pdf")]);
        HttpAssert.Status(HttpStatusCode.OK, response);
        Assert.Contains(UploadRefusals.ScannerUnavailable, FormErrors(await PortalBrowser.ParseAsync(response)));
        var refusedAccount = $"after-{_marker}@example.test".ToUpperInvariant();
        Assert.False(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.NormalizedEmail == refusedAccount)));
        Assert.Equal(1, await portal.WithDbAsync(db => db.Applications.CountAsync()));

        var page = await jobseeker.PostAndFollowAsync($"/my/applications/{applicationId}/cv",
            files: [new FormFile("cv", $"{_marker}.pdf", SampleFiles.Pdf())]);
        Assert.Equal(UploadRefusals.ScannerUnavailable, page.ErrorText());
        Assert.Equal(cvBefore, await portal.WithDbAsync(db => db.Documents.Where(d => d.ApplicationId == applicationId).Select(d => d.BlobName).SingleAsync()));
        Assert.Single(portal.BlobFiles());

        var logs = string.Join("\n", portal.Logs.Entries.Select(e => $"{e.Message} {e.Exception}"));
        Assert.Contains("could not be reached", logs);
        Assert.DoesNotContain(_marker, logs);
    }

    private sealed record Health(string Status, Dictionary<string, string> Checks);

    private static async Task<Health> HealthAsync(PortalFactory portal)
    {
        using var response = await portal.CreateClient().GetAsync("/health");
        HttpAssert.Status(HttpStatusCode.OK, response);
        return (await response.Content.ReadFromJsonAsync<Health>())!;
    }

    private sealed class OwnedClamd : IAsyncDisposable
    {
        public ClamdFixture Fixture { get; } = new();
        public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
    }

    private static bool ContentCheckAccepts(string fileName, byte[] bytes)
    {
        using var content = new MemoryStream(bytes);
        return new UploadValidator(Options.Create(new UploadOptions())).Check(fileName, bytes.Length, content).Accepted;
    }

    private async Task<IHtmlDocument> ApplyAsNewVisitorAsync(IEnumerable<FormFile> files)
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var response = await browser.SubmitAsync(ApplyUrl, ApplyUrl, ApplyTests.Fields($"visitor-{_marker}@example.test"), files);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected the form again, got {(int)response.StatusCode}. {_portal.Logs.Errors()}");
        var page = await PortalBrowser.ParseAsync(response);
        Assert.NotNull(page.QuerySelector("form.apply-form"));
        return page;
    }

    /// <summary>The validation message shown under the field's input (the form renders it beside the input, in its group).</summary>
    private static string? FieldError(IHtmlDocument page, string field) =>
        page.QuerySelector($"input[name='{field}']")?.ParentElement?.QuerySelector(".text-danger")?.TextContent.Trim() is { Length: > 0 } text
            ? text
            : null;

    private static string FormErrors(IHtmlDocument page) =>
        string.Join(" | ", page.QuerySelectorAll(".text-danger, .validation-summary-errors").Select(e => e.TextContent.Trim()));

    private Task<string> CvBlobAsync(Guid applicationId) =>
        _portal.WithDbAsync(db => db.Documents.Where(d => d.ApplicationId == applicationId).Select(d => d.BlobName).SingleAsync());

    private Task AssertNothingStoredAsync() => _portal.AssertNothingStoredAsync();

    private void AssertLogsNameTheVerdictButNotTheFile(string verdict)
    {
        var logs = string.Join("\n", _portal.Logs.Entries.Select(e => $"{e.Category} {e.Message} {e.Exception}"));
        Assert.Contains($"scan verdict {verdict}", logs);
        Assert.DoesNotContain(_marker, logs);
    }
}
