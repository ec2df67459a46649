using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Applications;
using Recruiting.Core.Privacy;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Portal;

public sealed class ApplyTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private Guid _postingId;

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Platform engineer");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private string ApplyUrl => $"/postings/{_postingId}/apply";

    private async Task<PrivacyNotice> CurrentNoticeAsync()
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PrivacyNotices>().ForPostingAsync(_postingId, CancellationToken.None);
    }

    internal static Dictionary<string, string> Fields(string email, string? password = "correct horse battery staple") =>
        new Dictionary<string, string>
        {
            ["FullName"] = "Ada Applicant",
            ["Email"] = email,
            ["Phone"] = "+47 400 00 000",
            ["Address"] = "Storgata 1, Oslo",
            ["CoverLetter"] = "I would love to build this with you.",
        }.Concat(password is null ? [] : new Dictionary<string, string> { ["Password"] = password }).ToDictionary();

    [Fact]
    public async Task A_visitor_applies_in_one_pass_and_sees_the_application_under_my_applications()
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var cv = SampleFiles.Pdf();

        var response = await browser.SubmitAsync(ApplyUrl, ApplyUrl, Fields("ada@example.test"),
            [new FormFile("Cv", "Ada CV.pdf", cv, "application/pdf")]);

        HttpAssert.Redirect($"/postings/{_postingId}/apply/sent", response);
        var sent = await browser.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("Check your mailbox", sent.QuerySelector("h1")!.TextContent);
        Assert.Contains("Platform engineer", sent.Body!.TextContent);
        HttpAssert.Redirect("/account/login", await browser.Client.GetAsync("/my/applications")); // not signed in yet

        HttpAssert.Redirect("/my/applications", await _portal.FollowConfirmationLinkAsync(browser, "ada@example.test"));
        var mine = await browser.GetPageAsync("/my/applications");
        var row = Assert.Single(mine.QuerySelectorAll("tr[data-application-id]"));
        Assert.Contains("Platform engineer", row.TextContent);
        Assert.Equal("Received", row.QuerySelector(".application-status")!.TextContent.Trim());

        var stored = await _portal.WithDbAsync(db => db.Applications.Include(a => a.Documents).Include(a => a.Applicant).SingleAsync());
        Assert.Equal((await CurrentNoticeAsync()).Version, stored.NoticeVersion);
        Assert.Equal(LegalBasis.Agreement, stored.LegalBasis);
        Assert.Equal("Ada Applicant", stored.Applicant.FullName);
        var document = Assert.Single(stored.Documents);
        Assert.Equal(DocumentKind.Cv, document.Kind);
        Assert.Equal("Ada CV.pdf", document.OriginalFileName);
        Assert.Equal(cv.Length, document.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(cv)), document.Sha256);
        Assert.DoesNotContain("Ada", document.BlobName);

        var blob = Assert.Single(_portal.BlobFiles());
        Assert.Equal(cv, await File.ReadAllBytesAsync(blob));
    }

    [Fact]
    public async Task The_confirmation_email_and_the_account_confirmation_link_arrive_by_background_job()
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var response = await browser.SubmitAsync(ApplyUrl, ApplyUrl, Fields("grace@example.test"),
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf")]);
        HttpAssert.Status(HttpStatusCode.Redirect, response);

        await Wait.UntilAsync(() => _portal.MailFiles().Count == 2, "two mails in the pickup folder");
        var mails = _portal.MailFiles().Select(File.ReadAllText).ToList();
        var received = Assert.Single(mails, m => m.Contains("Subject: We have received your application"));
        Assert.Contains("To: grace@example.test", received);
        Assert.Contains("Platform engineer", received);
        var confirm = Assert.Single(mails, m => m.Contains("Subject: Confirm your email address"));

        var link = confirm.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http://localhost/account/confirm-email"));
        // Opening the link (as a mail scanner would) changes nothing. The page asks for the password chosen when
        // applying, so that someone who typed another person's address gains nothing when that person confirms.
        var page = await browser.GetPageAsync(link["http://localhost".Length..]);
        Assert.NotNull(page.QuerySelector("form[action='/account/confirm-email'] input[name=Password]"));
        Assert.False(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "grace@example.test" && u.EmailConfirmed)));
        var wrong = await browser.ConfirmFromLinkAsync(link, "not the password I chose");
        HttpAssert.Status(HttpStatusCode.OK, wrong);
        Assert.Contains("not the password chosen when applying", (await PortalBrowser.ParseAsync(wrong)).Body!.TextContent);
        Assert.False(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "grace@example.test" && (u.EmailConfirmed || u.AccessFailedCount != 1))));
        HttpAssert.Redirect("/my/applications", await browser.ConfirmFromLinkAsync(link, "correct horse battery staple"));
        Assert.True(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "grace@example.test" && u.EmailConfirmed)));
        Assert.Contains("Platform engineer", (await browser.GetPageAsync("/my/applications")).Body!.TextContent);

        // The link signs in once: used again, from another browser, it only confirms (no password asked) and sends to
        // the sign-in page.
        var later = new PortalBrowser(_portal.CreateBrowserClient());
        HttpAssert.Redirect("/account/login", await later.ConfirmFromLinkAsync(link));
        HttpAssert.Redirect("/account/login", await later.Client.GetAsync("/my/applications"));

        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Notifications.AllAsync(n => n.SentAt != null)),
            "both notifications to be marked sent");

        // Hangfire holds ids only: every argument of every job is a Guid or the cancellation placeholder.
        var monitoring = _portal.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        List<Hangfire.Common.Job> SucceededJobs() => monitoring.SucceededJobs(0, 100).Select(j => j.Value.Job).ToList();
        // Hangfire records success just after the job body returns, so a sent mail can be a moment ahead of its count.
        // Both were committed together, so one job sends both.
        await Wait.UntilAsync(() => SucceededJobs().Where(j => j.Type == typeof(Recruiting.Core.Notifications.NotificationJob))
                .Sum(j => ((Guid[])j.Args[0]).Length) == 2,
            "the notification job for both to be recorded as succeeded");
        var jobs = SucceededJobs();
        Assert.All(jobs.SelectMany(j => j.Args), arg => Assert.True(arg is Guid or Guid[] or CancellationToken, $"Job argument {arg?.GetType()}"));
    }

    [Fact]
    public async Task A_signed_in_jobseeker_finds_their_details_prefilled_and_is_not_asked_for_a_password()
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        await browser.SubmitAsync(ApplyUrl, ApplyUrl, Fields("linus@example.test"),
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf")]);
        HttpAssert.Redirect("/my/applications", await _portal.FollowConfirmationLinkAsync(browser, "linus@example.test"));
        var second = await _portal.CreatePostingAsync("Second job");

        var form = await browser.GetPageAsync($"/postings/{second}/apply");

        // Name and address come from the account, shown as text (EmailChangeTests: posted ones are ignored).
        Assert.Equal("Ada Applicant", form.QuerySelector(".account-name")!.TextContent.Trim());
        Assert.Equal("linus@example.test", form.QuerySelector(".account-email")!.TextContent.Trim());
        Assert.Equal("+47 400 00 000", form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Phone")!.Value);
        Assert.Null(form.QuerySelector("#Password"));

        var response = await browser.SubmitAsync($"/postings/{second}/apply", $"/postings/{second}/apply",
            Fields("linus@example.test", password: null), [new FormFile("Cv", "cv.docx", SampleFiles.Docx())]);
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.Equal(2, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Applicants.CountAsync()));
    }

    [Fact]
    public async Task Every_field_has_its_label_and_the_privacy_notice_is_shown_before_submit()
    {
        var form = await new PortalBrowser(_portal.CreateBrowserClient()).GetPageAsync(ApplyUrl);

        var labels = form.QuerySelectorAll("label").Select(l => l.TextContent.Trim()).ToList();
        foreach (var label in new[] { "Full name", "Email", "Phone", "Address", "Cover letter", "CV", "Further documents", "Password" })
        {
            Assert.Contains(label, labels);
            var target = form.QuerySelectorAll("label").First(l => l.TextContent.Trim() == label).GetAttribute("for");
            Assert.NotNull(form.GetElementById(target!));
        }
        Assert.Equal("Submit application", form.QuerySelector("form.apply-form button[type=submit]")!.TextContent.Trim());

        var notice = form.QuerySelector("form.apply-form .privacy-notice")!.TextContent;
        foreach (var required in new[]
                 {
                     "Example Employer AS", "privacy@example.com", "assess your application", "agreement", "Art. 6(1)(b)",
                     "recruiters and HR", "Example Hosting Ltd", "months after a rejection", "access", "rectification",
                     "erasure", "restrict", "object", "portability", "complain to a data protection authority",
                     "required", "cannot assess", "No automated decision", "health", "religion", "ethnic origin",
                     "political opinions", "trade union", "sexual orientation",
                 })
            Assert.Contains(required, notice);
        Assert.Equal((await CurrentNoticeAsync()).Version,
            form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=NoticeVersion]")!.Value);
    }

    [Fact]
    public async Task Every_page_links_the_privacy_notice_from_its_footer()
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        foreach (var url in new[] { "/", $"/postings/{_postingId}", ApplyUrl, "/account/login", "/privacy" })
        {
            var page = await browser.GetPageAsync(url);
            Assert.NotNull(page.QuerySelector("footer a[href='/privacy']"));
        }
    }

    [Fact]
    public async Task A_posting_that_is_not_open_cannot_be_applied_to()
    {
        var draft = await _portal.CreatePostingAsync("Secret draft", open: false);
        var client = _portal.CreateBrowserClient();

        HttpAssert.Status(HttpStatusCode.NotFound, await client.GetAsync($"/postings/{draft}"));
        HttpAssert.Status(HttpStatusCode.NotFound, await client.GetAsync($"/postings/{draft}/apply"));
        var home = await new PortalBrowser(client).GetPageAsync("/");
        Assert.DoesNotContain("Secret draft", home.Body!.TextContent);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_stores_nothing()
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var response = await browser.PostAsync(ApplyUrl, token: null,
            Fields("mallory@example.test"),
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf")]);

        HttpAssert.Status(HttpStatusCode.BadRequest, response);
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        Assert.Empty(_portal.BlobFiles());
    }

    [Fact]
    public async Task An_address_with_an_account_gets_the_same_answer_and_its_owner_a_mail_instead_of_an_application()
    {
        var owner = new PortalBrowser(_portal.CreateBrowserClient());
        var first = await owner.SubmitAsync(ApplyUrl, ApplyUrl, Fields("twice@example.test"), [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf())]);
        var firstPage = (await owner.GetPageAsync(first.Headers.Location!.OriginalString)).QuerySelector("main")!.TextContent;
        HttpAssert.Redirect("/my/applications", await _portal.FollowConfirmationLinkAsync(owner, "twice@example.test"));

        var other = new PortalBrowser(_portal.CreateBrowserClient());
        var second = await other.SubmitAsync(ApplyUrl, ApplyUrl, Fields("twice@example.test", "another long passphrase 42"),
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf())]);

        // The same redirect and the same page as for a new address, so the form tells nobody who has an account.
        HttpAssert.Redirect($"/postings/{_postingId}/apply/sent", second);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(firstPage, (await other.GetPageAsync(second.Headers.Location!.OriginalString)).QuerySelector("main")!.TextContent);

        Assert.Equal(1, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Users.CountAsync(u => u.Email == "twice@example.test")));
        Assert.Single(_portal.BlobFiles());
        await Wait.UntilAsync(() => _portal.MailFiles().Select(File.ReadAllText).Any(m => m.Contains("Subject: You already have an account with us")),
            "the mail to the address's owner");
        var mail = _portal.MailFiles().Select(File.ReadAllText).Single(m => m.Contains("Subject: You already have an account with us"));
        Assert.Contains("To: twice@example.test", mail);
        Assert.Contains($"http://localhost/postings/{_postingId}/apply", mail);
        Assert.Contains("http://localhost/account/forgot-password", mail);

        // Nor does the other visitor's password open the account.
        var signIn = await other.SubmitAsync("/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = "twice@example.test", ["Password"] = "another long passphrase 42" });
        HttpAssert.Status(HttpStatusCode.OK, signIn);
    }

    [Fact]
    public async Task A_new_account_signs_in_with_its_password_only_once_its_address_is_confirmed()
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        HttpAssert.Redirect($"/postings/{_postingId}/apply/sent", await browser.SubmitAsync(ApplyUrl, ApplyUrl,
            Fields("probe@example.test"), [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf())]));
        var login = new Dictionary<string, string> { ["Email"] = "probe@example.test", ["Password"] = "correct horse battery staple" };

        // Otherwise a visitor could apply with someone's address and then try their own password: a sign-in would
        // tell that the address had no account. The refusal is the one for a wrong password.
        var refused = await browser.SubmitAsync("/account/login", "/account/login", login);
        HttpAssert.Status(HttpStatusCode.OK, refused);
        Assert.Contains(Recruiting.Web.Controllers.AccountController.SignInRefused, (await PortalBrowser.ParseAsync(refused)).Body!.TextContent);

        await _portal.ConfirmEmailAsync("probe@example.test");
        HttpAssert.Redirect("/", await browser.SubmitAsync("/account/login", "/account/login", login));
    }

    [Fact]
    public async Task The_applicant_downloads_their_cv_as_an_attachment_byte_for_byte_and_nobody_else_can()
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var cv = SampleFiles.Pdf(50_000);
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.SubmitAsync(ApplyUrl, ApplyUrl, Fields("ase@example.test"),
            [new FormFile("Cv", "Åse CV (2026).pdf", cv, "application/pdf")]));
        HttpAssert.Redirect("/my/applications", await _portal.FollowConfirmationLinkAsync(browser, "ase@example.test"));
        var link = (await browser.GetPageAsync("/my/applications")).QuerySelector("a[href^='/my/documents/']")!;
        Assert.Equal("Åse CV (2026).pdf", link.TextContent);

        var response = await browser.Client.GetAsync(link.GetAttribute("href"));

        HttpAssert.Status(HttpStatusCode.OK, response);
        Assert.Equal(cv, await response.Content.ReadAsByteArrayAsync());
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("Åse CV (2026).pdf", disposition.FileNameStar);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl!.NoStore);

        var stranger = new PortalBrowser(_portal.CreateBrowserClient());
        HttpAssert.Status(HttpStatusCode.Redirect, await stranger.SubmitAsync(ApplyUrl, ApplyUrl, Fields("other@example.test"),
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf())]));
        HttpAssert.Redirect("/my/applications", await _portal.FollowConfirmationLinkAsync(stranger, "other@example.test"));
        HttpAssert.Status(HttpStatusCode.NotFound, await stranger.Client.GetAsync(link.GetAttribute("href")));
        HttpAssert.Status(HttpStatusCode.Redirect, await _portal.CreateBrowserClient().GetAsync(link.GetAttribute("href")));
    }
}
