using System.Net;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Postings;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Portal;

public sealed class PostingsAndAccessTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public PostingsAndAccessTests(PortalFactory portal) => _portal = portal;

    [Fact]
    public async Task HR_creates_edits_opens_and_closes_a_posting_and_the_public_list_follows()
    {
        var hr = new PortalBrowser(_portal.CreateBrowserClient());
        await hr.SignInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var title = $"Data steward {Guid.NewGuid():N}";

        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync("/manage/postings/new", "/manage/postings/new",
            new Dictionary<string, string> { ["Title"] = title, ["Location"] = "Oslo", ["Description"] = "Keep data tidy." }));
        var id = await _portal.WithDbAsync(db => db.JobPostings.Where(p => p.Title == title).Select(p => p.Id).SingleAsync());
        Assert.DoesNotContain(title, (await hr.GetPageAsync("/")).Body!.TextContent);

        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync("/manage/postings", $"/manage/postings/{id}/open", new Dictionary<string, string>()));
        Assert.Contains(title, (await new PortalBrowser(_portal.CreateBrowserClient()).GetPageAsync("/")).Body!.TextContent);

        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync($"/manage/postings/{id}/edit", $"/manage/postings/{id}/edit",
            new Dictionary<string, string> { ["Title"] = title + " (senior)", ["Location"] = "Bergen", ["Description"] = "Lead it." }));
        var details = await hr.GetPageAsync($"/postings/{id}");
        Assert.Contains("Bergen", details.Body!.TextContent);

        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync("/manage/postings", $"/manage/postings/{id}/close", new Dictionary<string, string>()));
        var posting = await _portal.WithDbAsync(db => db.JobPostings.SingleAsync(p => p.Id == id));
        Assert.Equal(PostingStatus.Closed, posting.Status);
        Assert.NotNull(posting.ClosedAt);
        Assert.DoesNotContain(title, (await hr.GetPageAsync("/")).Body!.TextContent);
        HttpAssert.Status(HttpStatusCode.NotFound, await hr.Client.GetAsync($"/postings/{id}/apply"));
    }

    [Fact]
    public async Task An_empty_posting_form_is_refused_with_messages()
    {
        var hr = new PortalBrowser(_portal.CreateBrowserClient());
        await hr.SignInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var before = await _portal.WithDbAsync(db => db.JobPostings.CountAsync());

        var response = await hr.SubmitAsync("/manage/postings/new", "/manage/postings/new",
            new Dictionary<string, string> { ["Title"] = "", ["Location"] = "", ["Description"] = "" });

        HttpAssert.Status(HttpStatusCode.OK, response);
        Assert.Contains("The Title field is required", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await _portal.WithDbAsync(db => db.JobPostings.CountAsync()));
    }

    [Fact]
    public async Task The_hangfire_dashboard_is_for_HR_only()
    {
        var anonymous = _portal.CreateBrowserClient();
        var response = await anonymous.GetAsync("/hangfire");
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);

        var jobseeker = await SignedInJobseekerAsync();
        HttpAssert.Status(HttpStatusCode.Forbidden, await jobseeker.Client.GetAsync("/hangfire"));

        var hr = new PortalBrowser(_portal.CreateBrowserClient());
        await hr.SignInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var dashboard = await hr.Client.GetAsync("/hangfire");
        Assert.True(dashboard.StatusCode == HttpStatusCode.OK, _portal.Logs.Errors());
    }

    [Fact]
    public async Task Jobseekers_and_visitors_cannot_manage_postings()
    {
        var anonymous = await _portal.CreateBrowserClient().GetAsync("/manage/postings");
        HttpAssert.Status(HttpStatusCode.Redirect, anonymous);

        var jobseeker = await SignedInJobseekerAsync();
        HttpAssert.Status(HttpStatusCode.Forbidden, await jobseeker.Client.GetAsync("/manage/postings"));
        var page = await PortalBrowser.ParseAsync(await jobseeker.Client.GetAsync("/manage/postings/new"));
        Assert.Contains("Not allowed", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task A_jobseeker_sees_only_their_own_applications_and_guessing_an_id_gets_404()
    {
        var alice = await SignedInJobseekerAsync();
        var bob = await SignedInJobseekerAsync();
        var bobsApplication = await _portal.WithDbAsync(db => db.Applications
            .OrderByDescending(a => a.SubmittedAt).Select(a => a.Id).FirstAsync());

        HttpAssert.Status(HttpStatusCode.OK, await bob.Client.GetAsync($"/applications/{bobsApplication}/submitted"));
        HttpAssert.Status(HttpStatusCode.NotFound, await alice.Client.GetAsync($"/applications/{bobsApplication}/submitted"));
        HttpAssert.Status(HttpStatusCode.NotFound, await alice.Client.GetAsync($"/applications/{Guid.NewGuid()}/submitted"));
        Assert.Single((await alice.GetPageAsync("/my/applications")).QuerySelectorAll("tr[data-application-id]"));
    }

    [Fact]
    public async Task Staff_cannot_apply()
    {
        var postingId = await _portal.CreatePostingAsync();
        var hr = new PortalBrowser(_portal.CreateBrowserClient());
        await hr.SignInAsync(PortalFactory.HrEmail, _portal.HrPassword);

        var page = await hr.GetPageAsync($"/postings/{postingId}/apply");
        Assert.Contains("Staff accounts cannot apply", page.Body!.TextContent);
    }

    private async Task<PortalBrowser> SignedInJobseekerAsync()
    {
        var postingId = await _portal.CreatePostingAsync();
        return (await _portal.ApplyAsync(postingId, $"js-{Guid.NewGuid():N}@example.test")).Browser;
    }
}
