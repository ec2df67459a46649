using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Audit;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Rights;

public sealed class PrivacyContactTests : IAsyncLifetime
{
    private const string Contact = "/privacy/contact";
    private readonly PortalFactory _portal = new() { Settings = { ["Privacy:ContactEmail"] = "privacy@company.test" } };
    private Guid _posting;

    public async Task InitializeAsync() => _posting = await _portal.CreatePostingAsync("Analyst");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static async Task<string?> SendAsync(PortalBrowser browser, string message, HttpStatusCode expected)
    {
        var response = await browser.SubmitAsync(Contact, Contact, new Dictionary<string, string> { ["Message"] = message });
        HttpAssert.Status(expected, response);
        return expected == HttpStatusCode.OK ? (await PortalBrowser.ParseAsync(response)).QuerySelector(".alert-danger")?.TextContent : null;
    }

    [Fact]
    public async Task A_jobseekers_question_is_filed_as_a_request_that_HR_finds_on_the_desk()
    {
        Assert.NotNull((await new PortalBrowser(_portal.CreateBrowserClient()).GetPageAsync("/privacy")).QuerySelector($"a[href='{Contact}']"));
        var (jobseeker, _) = await _portal.ApplyAsync(_posting, "asks@example.test", fullName: "Quinn Question");
        await _portal.UnconfirmEmailAsync("asks@example.test");

        Assert.Contains("confirm your email address", await SendAsync(jobseeker, "Who sees my CV?", HttpStatusCode.OK));
        await _portal.ConfirmEmailAsync("asks@example.test");
        Assert.Contains("Write your question", await SendAsync(jobseeker, "  ", HttpStatusCode.OK));
        Assert.Contains("at most 4000 characters", await SendAsync(jobseeker, new string('x', 4001), HttpStatusCode.OK));
        Assert.False(await _portal.WithDbAsync(db => db.Requests.AnyAsync()));

        await SendAsync(jobseeker, "Who sees my CV, and for how long do you keep it?", HttpStatusCode.Redirect);
        var thanks = await jobseeker.GetPageAsync(Contact);
        Assert.Contains("Your message is filed as request", thanks.QuerySelector(".alert-success")!.TextContent);

        var request = await _portal.WithDbAsync(db => db.Requests.SingleAsync());
        Assert.Equal(RequestType.Question, request.Type);
        Assert.Equal(RequestStatus.Received, request.Status);
        Assert.Equal("Who sees my CV, and for how long do you keep it?", request.Details);
        Assert.Null(request.ApplicationId);
        Assert.Equal(request.ReceivedAt.AddMonths(1), request.DueAt);
        Assert.True(await _portal.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.RequestId == request.Id
            && e.Action == AuditAction.RequestFiled && e.ActorRole == Roles.Jobseeker)));

        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var row = (await hr.GetPageAsync("/manage/requests")).QuerySelector($"tr[data-request-id='{request.Id}']")!;
        Assert.Equal("Question or complaint", row.QuerySelector(".request-type")!.TextContent.Trim());
        var details = await hr.GetPageAsync($"/manage/requests/{request.Id}");
        Assert.Contains("asks@example.test", details.QuerySelector(".contact")!.TextContent);
        Assert.Contains("for how long do you keep it?", details.QuerySelector(".request-details")!.TextContent);
    }

    [Fact]
    public async Task Visitors_are_asked_to_sign_in_or_write_and_staff_cannot_file()
    {
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        var page = await visitor.GetPageAsync(Contact);
        Assert.Null(page.QuerySelector("form.contact-form"));
        Assert.NotNull(page.QuerySelector("a[href^='/account/login']"));
        Assert.NotNull(page.QuerySelector("a[href='mailto:privacy@company.test']"));
        Assert.Contains("We do not store messages from people without an account", page.Body!.TextContent);
        var token = PortalBrowser.AntiforgeryToken(await visitor.GetPageAsync("/account/login"), "/account/login");
        var anonymousPost = await visitor.PostAsync(Contact, token, new Dictionary<string, string> { ["Message"] = "Hi" });
        HttpAssert.Status(HttpStatusCode.Redirect, anonymousPost);
        Assert.StartsWith("/account/login", anonymousPost.Headers.Location!.PathAndQuery());

        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        var staff = await _portal.SignedInAsync(recruiter.Email, recruiter.Password);
        var staffPage = await staff.GetPageAsync(Contact);
        Assert.Null(staffPage.QuerySelector("form.contact-form"));
        Assert.Contains("Staff accounts cannot file privacy requests", staffPage.QuerySelector(".staff-note")!.TextContent);
        var staffToken = PortalBrowser.AntiforgeryToken(staffPage, "/account/logout");
        HttpAssert.Status(HttpStatusCode.Forbidden, await staff.PostAsync(Contact, staffToken, new Dictionary<string, string> { ["Message"] = "Hi" }));
        Assert.False(await _portal.WithDbAsync(db => db.Requests.AnyAsync()));
    }

    private const string VisitorRequest = "/privacy/contact/request";

    /// <summary>The mails to <paramref name="address"/> with <paramref name="subject"/>, once there are <paramref name="count"/>.</summary>
    private Task<List<string>> MailsAsync(string address, string subject, int count = 1) => MailsAsync(_portal, address, subject, count);

    private static async Task<List<string>> MailsAsync(PortalFactory portal, string address, string subject, int count = 1)
    {
        List<string> Matching() => portal.MailFiles().Select(File.ReadAllText)
            .Where(m => m.Contains($"To: {address}") && m.Contains($"Subject: {subject}")).ToList();
        await Wait.UntilAsync(() => Matching().Count >= count, $"{count} mail(s) '{subject}' to {address}");
        return Matching();
    }

    private static string LinkIn(string mail) =>
        new Uri(mail.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http://localhost/privacy/contact/confirm/"))).PathAndQuery;

    /// <summary>What a page says, without the antiforgery tokens and ids that differ on every page.</summary>
    private static string Words(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelector("main")?.TextContent ?? page.Body!.TextContent;

    private static async Task<HttpResponseMessage> AskAsync(PortalBrowser visitor, string email, string type) =>
        await visitor.SubmitAsync(Contact, VisitorRequest, new Dictionary<string, string> { ["Email"] = email, ["Type"] = type });

    private static async Task<HttpResponseMessage> ConfirmAsync(PortalBrowser browser, string link) =>
        await browser.SubmitAsync(link, new Uri(new Uri("http://localhost"), link).AbsolutePath, new Dictionary<string, string>());

    [Fact]
    public async Task A_visitors_request_for_a_known_address_is_filed_only_when_the_mailed_link_is_confirmed()
    {
        var (_, applicationId) = await _portal.ApplyAsync(_posting, "lost-password@example.test", fullName: "Lena Lost");
        var applicantId = await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == applicationId).Select(a => a.ApplicantId).SingleAsync());
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        Assert.NotNull((await visitor.GetPageAsync(Contact)).QuerySelector($"form.visitor-request-form[action='{VisitorRequest}']"));

        HttpAssert.Redirect("/privacy/contact/request/sent", await AskAsync(visitor, "Lost-Password@example.test", "Access"));
        Assert.Contains("Check your mailbox", (await visitor.GetPageAsync("/privacy/contact/request/sent")).Body!.TextContent);
        Assert.False(await _portal.WithDbAsync(db => db.Requests.AnyAsync()));
        var link = LinkIn(Assert.Single(await MailsAsync("lost-password@example.test", "Confirm your request about your data")));
        var pending = await _portal.WithDbAsync(db => db.VisitorRequests.AsNoTracking().SingleAsync());
        Assert.Contains(pending.Id.ToString(), link);
        Assert.DoesNotContain(pending.TokenHash, link); // only the hash is kept; the link carries the token itself
        Assert.DoesNotContain("lost-password", link, StringComparison.OrdinalIgnoreCase);

        // Opening the link (as a mail scanner does) files nothing: the page has one button.
        var page = await visitor.GetPageAsync(link);
        Assert.Equal("Confirm my request", page.QuerySelector("form.visitor-confirm-form button[type=submit]")!.TextContent.Trim());
        Assert.False(await _portal.WithDbAsync(db => db.Requests.AnyAsync()));
        // A wrong token opens nothing and keeps the row for the right one.
        var wrongToken = System.Text.RegularExpressions.Regex.Replace(link, "token=[0-9a-f]{8}", "token=00000000");
        Assert.NotNull((await PortalBrowser.ParseAsync(await ConfirmAsync(visitor, wrongToken))).QuerySelector(".visitor-confirm-failed"));
        Assert.False(await _portal.WithDbAsync(db => db.Requests.AnyAsync()));

        var confirmed = await ConfirmAsync(visitor, link);
        HttpAssert.Status(HttpStatusCode.OK, confirmed);
        Assert.NotNull((await PortalBrowser.ParseAsync(confirmed)).QuerySelector(".visitor-confirmed"));
        var request = await _portal.WithDbAsync(db => db.Requests.AsNoTracking().SingleAsync());
        Assert.Equal(RequestType.Access, request.Type);
        Assert.Equal(RequestChannel.WebForm, request.Channel);
        Assert.Equal(applicantId, request.ApplicantId);
        Assert.Equal(DataSubjectRequest.MailboxVerified, request.IdentityVerification);
        Assert.Equal(request.ReceivedAt.AddMonths(1), request.DueAt);
        // The row with the address is gone once used, and the link works once.
        Assert.False(await _portal.WithDbAsync(db => db.VisitorRequests.AnyAsync()));
        Assert.NotNull((await PortalBrowser.ParseAsync(await ConfirmAsync(visitor, link))).QuerySelector(".visitor-confirm-failed"));
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Requests.CountAsync()));

        // Carried out like any access request: the export job runs it.
        await Wait.UntilAsync(async () => (await _portal.WithDbAsync(db => db.Requests.AsNoTracking().SingleAsync())).Status == RequestStatus.Completed,
            "the export job to complete the request. " + _portal.Logs.Errors());
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var details = await hr.GetPageAsync($"/manage/requests/{request.Id}");
        Assert.Equal("Web form (mailbox verified)", details.QuerySelector(".request-channel")!.TextContent.Trim());
        Assert.Equal(DataSubjectRequest.MailboxVerified, details.QuerySelector(".identity-verification")!.TextContent.Trim());
    }

    [Fact]
    public async Task For_an_unknown_address_nothing_is_filed_and_every_answer_reads_as_for_a_known_one()
    {
        await _portal.ApplyAsync(_posting, "known@example.test");
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());

        var known = await AskAsync(visitor, "known@example.test", "Erasure");
        var unknown = await AskAsync(visitor, "stranger@example.test", "Erasure");
        HttpAssert.Redirect("/privacy/contact/request/sent", known);
        HttpAssert.Redirect("/privacy/contact/request/sent", unknown);
        var knownLink = LinkIn(Assert.Single(await MailsAsync("known@example.test", "Confirm your request about your data")));
        var unknownMail = Assert.Single(await MailsAsync("stranger@example.test", "Confirm your request about your data"));
        var unknownLink = LinkIn(unknownMail);

        var knownPage = await visitor.GetPageAsync(knownLink);
        var unknownPage = await visitor.GetPageAsync(unknownLink);
        Assert.Equal(Words(knownPage), Words(unknownPage));

        var unknownConfirmed = await ConfirmAsync(visitor, unknownLink);
        Assert.False(await _portal.WithDbAsync(db => db.Requests.AnyAsync()));
        var answer = Assert.Single(await MailsAsync("stranger@example.test", "Your request about your data"));
        Assert.Contains("We hold no data about this address", answer);
        var knownConfirmed = await ConfirmAsync(visitor, knownLink);
        HttpAssert.Status(HttpStatusCode.OK, unknownConfirmed);
        HttpAssert.Status(HttpStatusCode.OK, knownConfirmed);
        Assert.Equal(Words(await PortalBrowser.ParseAsync(knownConfirmed)), Words(await PortalBrowser.ParseAsync(unknownConfirmed)));

        var filed = await _portal.WithDbAsync(db => db.Requests.AsNoTracking().SingleAsync());
        Assert.Equal(RequestType.Erasure, filed.Type);
        Assert.Equal(RequestChannel.WebForm, filed.Channel);
        Assert.False(await _portal.WithDbAsync(db => db.VisitorRequests.AnyAsync()));
        // Neither the address nor the token is in the log.
        Assert.DoesNotContain(_portal.Logs.Entries, e => e.Message.Contains("stranger@example.test"));
    }

    [Theory]
    [InlineData("known@example.test<script>alert(1)</script>")] // what the outside-in scanner sent, once a 500
    [InlineData("Known <known@example.test>")]
    [InlineData("known@example.test\r\nBcc: other@example.test")]
    public async Task An_address_no_mail_could_go_to_is_refused_on_the_form_with_nothing_kept(string address)
    {
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());

        var response = await AskAsync(visitor, address, "Access");

        HttpAssert.Status(HttpStatusCode.OK, response);
        Assert.Contains("Enter the email address you applied with.", (await PortalBrowser.ParseAsync(response)).DocumentElement.TextContent);
        Assert.False(await _portal.WithDbAsync(db => db.VisitorRequests.AnyAsync()));
    }

    [Fact]
    public async Task An_unconfirmed_link_expires_and_the_periodic_job_deletes_the_address_it_kept()
    {
        var clock = new FakeTimeProvider(DeskTestKit.Start);
        using var portal = DeskTestKit.PortalOn(clock);
        await portal.ApplyAsync(await portal.CreatePostingAsync("Auditor"), "slow@example.test");
        var visitor = new PortalBrowser(portal.CreateBrowserClient());
        HttpAssert.Redirect("/privacy/contact/request/sent", await AskAsync(visitor, "slow@example.test", "Access"));
        var link = LinkIn(Assert.Single(await MailsAsync(portal, "slow@example.test", "Confirm your request about your data")));

        clock.Advance(Recruiting.Core.Rights.VisitorRequest.LinkLifetime + TimeSpan.FromMinutes(1));
        Assert.NotNull((await PortalBrowser.ParseAsync(await ConfirmAsync(visitor, link))).QuerySelector(".visitor-confirm-failed"));
        Assert.False(await portal.WithDbAsync(db => db.Requests.AnyAsync()));

        Assert.True(await portal.WithDbAsync(db => db.VisitorRequests.AnyAsync()));
        await using (var scope = portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ExpireExportsJob>().RunAsync(CancellationToken.None);
        Assert.False(await portal.WithDbAsync(db => db.VisitorRequests.AnyAsync()));
    }
}
