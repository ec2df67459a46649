using System.Net;
using Microsoft.EntityFrameworkCore;
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
}
