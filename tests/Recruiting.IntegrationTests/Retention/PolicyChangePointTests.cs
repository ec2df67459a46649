using System.Net;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Applications;
using Recruiting.Core.Retention;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Rights;
using static Recruiting.Core.Applications.ApplicationStatus;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>Every change of status, posting, or consent stores the application's new due date at once.</summary>
public sealed class PolicyChangePointTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private readonly FakeTimeProvider _clock = new(PolicyTestKit.Start);
    private readonly PortalFactory _portal;
    private Guid _posting;

    public PolicyChangePointTests() => _portal = DeskTestKit.PortalOn(_clock);

    public async Task InitializeAsync() => _posting = await _portal.CreatePostingAsync("Retention engineer");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Rejecting_stores_the_decision_plus_six_months_and_staff_and_the_jobseeker_see_it()
    {
        var (browser, id) = await _portal.ApplyAsync(_posting, "rejected@example.test");
        // Under review: the clock runs from receipt.
        Assert.Equal((PolicyTestKit.Start.AddMonths(6), RetentionOutcome.NoDecision), await _portal.DueAsync(id));

        var hr = await _portal.HrAsync();
        await hr.MoveAsync(id, Rejected);

        var due = new DateTimeOffset(2028, 2, 29, 10, 0, 0, TimeSpan.Zero); // 31 August + 6 months
        Assert.Equal((due, RetentionOutcome.Rejected), await _portal.DueAsync(id));
        Assert.Equal("2028-02-29", (await hr.GetPageAsync($"/candidates/{id}")).QuerySelector(".deletion-due")!.TextContent.Trim());
        var row = (await hr.GetPageAsync($"/manage/postings/{_posting}/candidates")).QuerySelector($"tr[data-application-id='{id}']")!;
        Assert.Contains("2028-02-29", row.TextContent);

        var article = (await browser.GetPageAsync("/my/data")).QuerySelector($"article[data-application-id='{id}']")!;
        Assert.Contains("Your data for this application will be deleted on", article.TextContent);
        Assert.Equal("29 February 2028", article.QuerySelector(".deletion-due")!.TextContent.Trim());
    }

    [Fact]
    public async Task Hiring_stores_the_hiring_decision_plus_six_months()
    {
        var (_, id) = await _portal.ApplyAsync(_posting, "hired@example.test");
        var hr = await _portal.HrAsync();
        await hr.MoveAsync(id, Screening, Interview, Offer);
        Assert.Equal((PolicyTestKit.Start.AddMonths(6), RetentionOutcome.NoDecision), await _portal.DueAsync(id));

        _clock.Advance(TimeSpan.FromDays(1));
        await hr.MoveAsync(id, Hired);
        Assert.Equal((_clock.GetUtcNow().AddMonths(6), RetentionOutcome.Hired), await _portal.DueAsync(id));
    }

    [Fact]
    public async Task Withdrawing_stores_the_withdrawal_plus_thirty_days()
    {
        var (browser, id) = await _portal.ApplyAsync(_posting, "withdrawn@example.test");
        _clock.Advance(TimeSpan.FromDays(2));
        var action = $"/my/applications/{id}/withdraw";
        var page = await browser.GetPageAsync("/my/applications");
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.PostAsync(action, PortalBrowser.AntiforgeryToken(page, action), new Dictionary<string, string>()));

        Assert.Equal((_clock.GetUtcNow().AddDays(30), RetentionOutcome.Withdrawn), await _portal.DueAsync(id));
        Assert.Contains("withdrawn", (await browser.GetPageAsync("/my/applications")).QuerySelector(".alert-success")!.TextContent);
    }

    [Fact]
    public async Task Closing_a_posting_later_than_receipt_keeps_the_earlier_receipt_clock_of_undecided_applications()
    {
        var (_, undecided) = await _portal.ApplyAsync(_posting, "undecided@example.test");
        var (_, rejected) = await _portal.ApplyAsync(_posting, "decided@example.test");
        var hr = await _portal.HrAsync();
        await hr.MoveAsync(rejected, Rejected);
        var rejectedDue = await _portal.DueAsync(rejected);

        _clock.Advance(TimeSpan.FromDays(3));
        await PostOnPostingsPageAsync(hr, $"/manage/postings/{_posting}/close");
        // Closing + 6 months ends after receipt + 6 months: the receipt clock stands.
        Assert.Equal((PolicyTestKit.Start.AddMonths(6), RetentionOutcome.NoDecision), await _portal.DueAsync(undecided));
        Assert.Equal(rejectedDue, await _portal.DueAsync(rejected));

        await PostOnPostingsPageAsync(hr, $"/manage/postings/{_posting}/open");
        Assert.Equal((PolicyTestKit.Start.AddMonths(6), RetentionOutcome.NoDecision), await _portal.DueAsync(undecided));
        Assert.Equal(rejectedDue, await _portal.DueAsync(rejected));
    }

    [Fact]
    public async Task Talent_pool_consent_keeps_decided_data_for_24_months_from_the_consent_when_that_is_later()
    {
        var (_, id) = await _portal.ApplyAsync(_posting, "pool@example.test");
        await (await _portal.HrAsync()).MoveAsync(id, Rejected);
        var rejectedDue = PolicyTestKit.Start.AddMonths(6);

        _clock.Advance(TimeSpan.FromDays(60));
        var browser = await _portal.SignedInAsync("pool@example.test", Password); // the old session ended on the moved clock
        var consentAt = _clock.GetUtcNow();
        await browser.PostAndFollowAsync($"/my/applications/{id}/talent-pool");
        Assert.Equal((consentAt.AddMonths(24), RetentionOutcome.TalentPool), await _portal.DueAsync(id));

        await browser.PostAndFollowAsync($"/my/applications/{id}/talent-pool/withdraw");
        Assert.Equal((rejectedDue, RetentionOutcome.Rejected), await _portal.DueAsync(id));
    }

    [Fact]
    public async Task Consent_given_on_the_apply_form_counts_from_submission_before_and_after_the_decision()
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var fields = MyDataTestKit.ApplyFields("ticked@example.test");
        fields["KeepForFutureOpenings"] = "true";
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.ApplyWithAsync(_posting, fields));
        var id = await _portal.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Applications.Where(a => a.Applicant.Email == "ticked@example.test").Select(a => a.Id)));
        // Undecided, the consent outlasts the receipt clock: it keeps the data for its period from submission.
        Assert.Equal((PolicyTestKit.Start.AddMonths(24), RetentionOutcome.TalentPool), await _portal.DueAsync(id));

        _clock.Advance(TimeSpan.FromDays(31));
        await (await _portal.HrAsync()).MoveAsync(id, Rejected);
        Assert.Equal((PolicyTestKit.Start.AddMonths(24), RetentionOutcome.TalentPool), await _portal.DueAsync(id));
    }

    private static async Task PostOnPostingsPageAsync(PortalBrowser hr, string action)
    {
        var page = await hr.GetPageAsync("/manage/postings");
        HttpAssert.Status(HttpStatusCode.Redirect, await hr.PostAsync(action, PortalBrowser.AntiforgeryToken(page, action), new Dictionary<string, string>()));
    }
}
