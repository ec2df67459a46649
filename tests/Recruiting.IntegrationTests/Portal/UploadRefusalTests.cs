using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Portal;

/// <summary>Each bad upload is refused on the form with a clear message, and nothing is stored: no row, no blob, no account.</summary>
public sealed class UploadRefusalTests : IClassFixture<UploadRefusalTests.Portal>, IAsyncLifetime
{
    public sealed class Portal : PortalFactory
    {
        public Portal() => Settings["Uploads:MaxFileBytes"] = (1024 * 1024).ToString(); // 1 MB keeps the size tests small
    }

    private readonly Portal _portal;
    private Guid _postingId;

    public UploadRefusalTests(Portal portal) => _portal = portal;

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private string ApplyUrl => $"/postings/{_postingId}/apply";

    public static TheoryData<string, string, byte[], string> BadCvs => new()
    {
        { "a text file", "cv.txt", "Plain text CV"u8.ToArray(), "Only PDF (.pdf), Word (.docx) and OpenDocument Text (.odt) files" },
        { "an EXE renamed .pdf", "cv.pdf", SampleFiles.Exe(), "is not a valid PDF" },
        { "HTML renamed .pdf", "cv.pdf", SampleFiles.Html(), "is not a valid PDF" },
        { "SVG renamed .pdf", "cv.pdf", SampleFiles.Svg(), "is not a valid PDF" },
        { "a DOCX renamed .pdf", "cv.pdf", SampleFiles.Docx(), "is not a valid PDF" },
        { "an ODT renamed .docx", "cv.docx", SampleFiles.Odt(), "is not a valid Word" },
        { "a double extension", "cv.pdf.exe", SampleFiles.Pdf(), "Only PDF (.pdf), Word (.docx) and OpenDocument Text (.odt) files" },
        { "an empty file", "cv.pdf", [], "The file is empty." },
        { "a file over the size limit", "cv.pdf", SampleFiles.Pdf(1024 * 1024 + 1), "is too large" },
        { "a zip bomb", "cv.docx", SampleFiles.DocxZipBomb(), "would unpack to too much data" },
        { "a corrupt zip", "cv.docx", [0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5], "is not a valid Word" },
        { "a name with path parts", "../../etc/cv.pdf", SampleFiles.Pdf(), "must not contain '/'" },
        { "a name with a backslash", "C:\\Users\\ada\\cv.pdf", SampleFiles.Pdf(), "must not contain '/'" },
        { "a name with a control character", "cv\u0007.pdf", SampleFiles.Pdf(), "control or text-direction characters" },
        { "a name with a right-to-left override", "cv\u202Efdp.exe.pdf", SampleFiles.Pdf(), "control or text-direction characters" },
    };

    [Theory]
    [MemberData(nameof(BadCvs))]
    public async Task A_bad_cv_is_refused_on_the_form_and_nothing_is_stored(string what, string fileName, byte[] bytes, string message)
    {
        var response = await ApplyAsync(what, [new FormFile("Cv", fileName, bytes, "application/pdf")]);

        var page = await AssertRefusedAsync(response, message);
        Assert.DoesNotContain('\u202E', page); // a direction override is never echoed back
        Assert.DoesNotContain('\u0007', page);
    }

    [Fact]
    public async Task A_missing_cv_is_refused()
    {
        var response = await ApplyAsync("no cv", []);
        await AssertRefusedAsync(response, "Please attach your CV");
    }

    [Fact]
    public async Task A_bad_further_document_refuses_the_whole_application_even_with_a_good_cv()
    {
        var response = await ApplyAsync("bad further document",
        [
            new FormFile("Cv", "cv.pdf", SampleFiles.Pdf()),
            new FormFile("FurtherDocuments", "reference.pdf", SampleFiles.Exe()),
        ]);
        await AssertRefusedAsync(response, "is not a valid PDF");
    }

    [Fact]
    public async Task More_than_three_further_documents_are_refused()
    {
        var response = await ApplyAsync("four further documents",
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf()), .. Enumerable.Range(1, 4).Select(i => new FormFile("FurtherDocuments", $"doc{i}.pdf", SampleFiles.Pdf()))]);
        await AssertRefusedAsync(response, "at most 3 further documents");
    }

    [Fact]
    public async Task A_file_far_over_the_limit_gets_a_friendly_page_not_a_bare_413()
    {
        var response = await ApplyAsync("a 3 MB file", [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(3 * 1024 * 1024))]);

        HttpAssert.Status(HttpStatusCode.RequestEntityTooLarge, response);
        var page = await PortalBrowser.ParseAsync(response);
        Assert.Contains("Your files are too large", page.QuerySelector("h1")!.TextContent);
        Assert.NotNull(page.QuerySelector("footer a[href='/privacy']")); // the site's own page, with its layout
        await AssertNothingStoredAsync();
    }

    private async Task<HttpResponseMessage> ApplyAsync(string what, IEnumerable<FormFile> files)
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var email = $"{new string(what.Where(char.IsLetter).ToArray())}-{Guid.NewGuid():N}@example.test";
        return await browser.SubmitAsync(ApplyUrl, ApplyUrl, ApplyTests.Fields(email), files);
    }

    private async Task<string> AssertRefusedAsync(HttpResponseMessage response, string message)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}. {_portal.Logs.Errors()}");
        var html = await response.Content.ReadAsStringAsync();
        var page = await PortalBrowser.ParseAsync(response);
        var shown = string.Join(" | ", page.QuerySelectorAll(".text-danger").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0));
        Assert.True(shown.Contains(message), $"Expected \"{message}\" among the form's messages: {shown}");
        Assert.NotNull(page.QuerySelector("form.apply-form")); // the form is shown again, filled in
        Assert.Equal("Ada Applicant", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#FullName")!.Value);
        await AssertNothingStoredAsync();
        return html;
    }

    private Task AssertNothingStoredAsync() => _portal.AssertNothingStoredAsync();
}

/// <summary>When the database write fails after the blobs are stored, the blobs are removed again.</summary>
public sealed class FailedSaveTests : IAsyncLifetime
{
    private sealed class FailApplicationInsert : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context!.ChangeTracker.Entries<JobApplication>().Any(e => e.State == EntityState.Added))
                throw new DbUpdateException("Simulated failure while saving the application.");
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }

    private readonly PortalFactory _portal = new()
    {
        TestServices = services => services.ConfigureDbContext<RecruitingDbContext>(o => o.AddInterceptors(new FailApplicationInsert())),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task No_orphan_blob_and_no_half_created_account_is_left_behind()
    {
        var postingId = await _portal.CreatePostingAsync();
        var url = $"/postings/{postingId}/apply";
        var browser = new PortalBrowser(_portal.CreateBrowserClient());

        var response = await browser.SubmitAsync(url, url, ApplyTests.Fields("orphan@example.test"),
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf()), new FormFile("FurtherDocuments", "ref.odt", SampleFiles.Odt())]);

        HttpAssert.Status(HttpStatusCode.InternalServerError, response);
        Assert.DoesNotContain("Simulated failure", await response.Content.ReadAsStringAsync());
        Assert.Empty(_portal.BlobFiles());
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        Assert.False(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "orphan@example.test")));
    }
}
