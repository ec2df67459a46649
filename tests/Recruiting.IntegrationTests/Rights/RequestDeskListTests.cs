using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Identity;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Rights;

public sealed class RequestDeskListTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DeskTestKit.Start);
    private readonly PortalFactory _portal;
    private Guid _posting;

    public RequestDeskListTests() => _portal = DeskTestKit.PortalOn(_clock);

    public async Task InitializeAsync() => _posting = await _portal.CreatePostingAsync("Data engineer");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static DateTimeOffset On(int month, int day) => new(2027, month, day, 10, 0, 0, TimeSpan.Zero);

    private Task<PortalBrowser> HrAsync() => _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);

    private static List<string> RowIds(IDocument page) =>
        page.QuerySelectorAll("tr[data-request-id]").Select(r => r.GetAttribute("data-request-id")!).ToList();

    private Task AddAsync(params DataSubjectRequest[] requests) =>
        _portal.WithDbAsync(async db => { db.Requests.AddRange(requests); await db.SaveChangesAsync(); });

    [Fact]
    public async Task Due_dates_are_a_calendar_month_after_receipt_and_overdue_requests_come_first_marked_then_open_then_closed()
    {
        var (_, application) = await _portal.ApplyAsync(_posting, "desk-list@example.test", fullName: "Dora Desk");
        var applicantId = await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == application).Select(a => a.ApplicantId).SingleAsync());

        // Received 31 January: due 28 February, the last day of the next month (Art. 12(3), "one month").
        var question = await _portal.FileAsync(application, RequestType.Question, "Which recruiters saw my CV?");
        _clock.SetUtcNow(On(2, 1));
        var rectification = await _portal.FileAsync(application, RequestType.Rectification, "My phone number changed.");
        _clock.SetUtcNow(On(2, 10));
        var objection = await _portal.FileAsync(application, RequestType.Objection, "I object.");

        // Requests that finished by themselves, and an answered one, as their jobs and HR leave them.
        var export = DataSubjectRequest.File(RequestType.Access, applicantId, On(2, 2));
        export.Start(On(2, 2));
        export.Complete(On(2, 5), resultCounts: "applications=1; documents=1");
        var held = DataSubjectRequest.File(RequestType.Erasure, applicantId, On(2, 4));
        held.PutOnHold("A legal claim about this recruitment is pending.", On(2, 4));
        var erased = DataSubjectRequest.File(RequestType.Erasure, Guid.NewGuid(), On(2, 2));
        erased.Complete(On(2, 3), resultCounts: "applications=2; documents=4");
        erased.Anonymise();
        var refused = DataSubjectRequest.File(RequestType.Question, applicantId, On(2, 12), details: "Why?");
        refused.Refuse("We cannot say.", On(2, 15));
        await AddAsync(export, held, erased, refused);
        // The hold is real, so the reconcile job leaves the held erasure alone.
        await _portal.WithDbAsync(async db =>
        {
            db.LegalHolds.Add(LegalHold.OnApplicant(applicantId, "Pending claim.", Guid.NewGuid(), On(2, 4)));
            await db.SaveChangesAsync();
        });

        // 2 March, 12:00: the question (due 28 Feb) and the rectification (due 1 Mar 10:00) are overdue.
        _clock.SetUtcNow(new DateTimeOffset(2027, 3, 2, 12, 0, 0, TimeSpan.Zero));
        var hr = await HrAsync();
        var page = await hr.GetPageAsync("/manage/requests");

        Assert.Equal(
            new[] { question, rectification, objection, refused.Id, export.Id, held.Id, erased.Id }.Select(id => id.ToString()),
            RowIds(page));
        string Cell(Guid id, string cell) => page.QuerySelector($"tr[data-request-id='{id}'] .{cell}")!.TextContent.Trim();
        Assert.Equal("2027-02-28", Cell(question, "request-due"));
        Assert.Equal("2027-03-01", Cell(rectification, "request-due"));
        Assert.Equal("2027-03-10", Cell(objection, "request-due"));
        foreach (var overdue in new[] { question, rectification })
        {
            Assert.Contains("overdue", page.QuerySelector($"tr[data-request-id='{overdue}']")!.ClassName);
            Assert.Contains("Overdue", Cell(overdue, "request-status"));
        }
        Assert.Equal(2, page.QuerySelectorAll("tr.overdue").Length);
        Assert.Contains("2 requests are overdue", page.QuerySelector(".overdue-summary")!.TextContent);
        Assert.Equal("2 overdue", page.QuerySelector("nav .overdue-count")!.TextContent.Trim());

        // Finished by themselves: when and how.
        Assert.Contains("2027-02-05", Cell(export.Id, "request-finished"));
        Assert.Contains("applications=1; documents=1", Cell(export.Id, "request-finished"));
        Assert.Contains("On hold", Cell(held.Id, "request-finished"));
        Assert.Contains("applications=2; documents=4", Cell(erased.Id, "request-finished"));
        Assert.NotNull(page.QuerySelector($"tr[data-request-id='{erased.Id}'] .erased"));
        Assert.Null(page.QuerySelector($"tr[data-request-id='{export.Id}'] .erased"));

        // Ids and types only: who asked, and what they wrote, are on each request's own page.
        var text = page.Body!.TextContent;
        Assert.DoesNotContain("Dora Desk", text);
        Assert.DoesNotContain("desk-list@example.test", text);
        Assert.DoesNotContain("phone number changed", text);
        Assert.DoesNotContain("legal claim", text);

        Assert.Equal(new[] { question, rectification, objection }.Select(id => id.ToString()),
            RowIds(await hr.GetPageAsync("/manage/requests?show=open")));
        Assert.Equal(new[] { refused.Id, export.Id, held.Id, erased.Id }.Select(id => id.ToString()),
            RowIds(await hr.GetPageAsync("/manage/requests?show=closed")));

        // The request's own page: the person, their words, the application.
        var details = await hr.GetPageAsync($"/manage/requests/{rectification}");
        Assert.Contains("Dora Desk", details.QuerySelector(".contact")!.TextContent);
        Assert.Contains("desk-list@example.test", details.QuerySelector(".contact")!.TextContent);
        Assert.Contains("My phone number changed.", details.QuerySelector(".request-details")!.TextContent);
        Assert.Contains("Data engineer", details.QuerySelector(".request-application")!.TextContent);
        Assert.NotNull(details.QuerySelector($"a[href='/candidates/{application}']"));
        Assert.Contains("Overdue", details.QuerySelector(".request-status")!.TextContent);
        Assert.Contains("RequestFiled", details.QuerySelector(".request-trail")!.TextContent);
        var erasedPage = await hr.GetPageAsync($"/manage/requests/{erased.Id}");
        Assert.NotNull(erasedPage.QuerySelector("p.erased"));
        Assert.Null(erasedPage.QuerySelector("form.answer-form"));
        var heldPage = await hr.GetPageAsync($"/manage/requests/{held.Id}");
        Assert.Contains("A legal claim about this recruitment is pending.", heldPage.QuerySelector(".request-answer")!.TextContent);
        HttpAssert.Status(HttpStatusCode.NotFound, await hr.Client.GetAsync($"/manage/requests/{Guid.NewGuid()}"));
    }

    [Fact]
    public async Task The_desk_pages_25_requests_at_a_time_and_the_menu_count_is_absent_when_nothing_is_overdue()
    {
        var requests = Enumerable.Range(0, 30)
            .Select(i => DataSubjectRequest.File(RequestType.Question, Guid.NewGuid(), DeskTestKit.Start.AddMinutes(i), details: "Q"))
            .ToArray();
        await AddAsync(requests);
        var hr = await HrAsync();

        var first = await hr.GetPageAsync("/manage/requests?show=open");
        Assert.Equal(RequestPage.PageSize, first.QuerySelectorAll("tr[data-request-id]").Length);
        Assert.Contains("30 requests", first.Body!.TextContent);
        Assert.Equal(requests[0].Id.ToString(), RowIds(first)[0]); // earliest due first
        Assert.Equal("/manage/requests?page=2&show=open", first.QuerySelector("a[rel=next]")!.GetAttribute("href"));
        var second = await hr.GetPageAsync("/manage/requests?page=2&show=open");
        Assert.Equal(requests.Skip(25).Select(r => r.Id.ToString()), RowIds(second));
        Assert.True(first.QuerySelector("nav .overdue-count") is null, first.QuerySelector("nav .overdue-count")?.TextContent);
        Assert.Contains("/manage/requests", first.QuerySelector("nav a[href='/manage/requests']")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Only_HR_reaches_the_desk_and_the_audit_log()
    {
        var (jobseeker, application) = await _portal.ApplyAsync(_posting, "desk-outsider@example.test");
        var request = await _portal.FileAsync(application, RequestType.Question, "Hello?");
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.AssignAsync(_posting, recruiter.Id);
        var staff = await _portal.SignedInAsync(recruiter.Email, recruiter.Password);
        var anonymous = new PortalBrowser(_portal.CreateBrowserClient());

        string[] pages = ["/manage/requests", $"/manage/requests/{request}", "/manage/audit"];
        string[] actions = [$"/manage/requests/{request}/extend", $"/manage/requests/{request}/answer", $"/manage/requests/{request}/lift-restriction"];
        var form = new Dictionary<string, string> { ["NewDueDate"] = "2027-04-01", ["Reason"] = "x", ["Outcome"] = "Complete", ["Answer"] = "x" };
        foreach (var (browser, expected) in new[] { (jobseeker, HttpStatusCode.Forbidden), (staff, HttpStatusCode.Forbidden), (anonymous, HttpStatusCode.Redirect) })
        {
            var token = PortalBrowser.AntiforgeryToken(await browser.GetPageAsync("/account/login"), "/account/login");
            foreach (var url in pages)
            {
                var response = await browser.Client.GetAsync(url);
                HttpAssert.Status(expected, response);
                if (expected == HttpStatusCode.Redirect)
                    Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery());
            }
            foreach (var url in actions)
                HttpAssert.Status(expected, await browser.PostAsync(url, token, form));
        }
        var unchanged = await _portal.RequestAsync(request);
        Assert.Equal(RequestStatus.Received, unchanged.Status);
        Assert.Null(unchanged.ExtendedAt);
        Assert.DoesNotContain("/manage/requests", (await staff.GetPageAsync("/manage/postings")).QuerySelector("nav")!.InnerHtml);
    }
}

internal static class UriPaths
{
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
