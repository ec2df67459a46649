using Microsoft.Extensions.Logging;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Consent;
using Recruiting.Core.Notifications;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Rights;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>Every retained application has a clock (undecided ones from receipt) and a warning before it ends, whatever the outcome.</summary>
public sealed class RetentionClockTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(EnforcementKit.Start);
    private readonly PortalFactory _portal;
    private Guid _postingId;

    public RetentionClockTests() => _portal = EnforcementKit.PortalOn(_clock);

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Ferry pilot");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The warning mail of the application, once sent.</summary>
    private async Task<string> WarningMailAsync(Guid applicationId)
    {
        var id = await _portal.WithDbAsync(db => db.Notifications
            .Where(n => n.Kind == NotificationKind.DeletionWarning && n.ApplicationId == applicationId).Select(n => n.Id).SingleAsync());
        var path = Path.Combine(_portal.MailFolder, $"{id:N}.eml");
        await Wait.UntilAsync(() => File.Exists(path), "the warning mail. " + _portal.Logs.Errors(LogLevel.Information));
        return await File.ReadAllTextAsync(path);
    }

    [Fact]
    public async Task An_application_on_a_posting_never_closed_is_warned_and_then_deleted_six_months_after_receipt()
    {
        var received = _clock.GetUtcNow();
        var (_, id) = await _portal.ApplyAsync(_postingId, "waiting@example.test", "Wanda Waiting");
        Assert.Equal((received.AddMonths(6), RetentionOutcome.NoDecision), await _portal.DueAsync(id));

        _clock.Advance(received.AddMonths(6).AddDays(-14) - _clock.GetUtcNow());
        await _portal.RunRetentionAsync();
        var mail = await WarningMailAsync(id);
        Assert.Contains("To: waiting@example.test", mail);
        Assert.Contains("We have not come to a decision on your application for \"Ferry pilot\"", mail);
        Assert.Contains(Day(received.AddMonths(6)), mail);
        Assert.Contains("Keep my application for future openings", mail);

        _clock.Advance(TimeSpan.FromDays(14));
        await _portal.RunRetentionAsync();
        Assert.False(await _portal.ExistsAsync(id), "an undecided application outlived its receipt clock");
        Assert.Equal(1, await _portal.StatisticAsync(_postingId, RetentionOutcome.NoDecision));
    }

    [Fact]
    public async Task The_receipt_period_is_part_of_the_policy_and_closing_the_posting_brings_the_date_forward_only()
    {
        var received = _clock.GetUtcNow();
        var (_, id) = await _portal.ApplyAsync(_postingId, "policy@example.test");
        var hr = await _portal.HrAsync();

        var overview = await hr.GetPageAsync("/manage/retention");
        Assert.Equal("6", overview.QuerySelector(".default-policy tr[data-field='NoDecisionMonthsAfterReceipt'] .period")!.TextContent.Trim());
        var refused = await hr.ProposeAsync(null, noDecisionAfterReceipt: 121);
        Assert.Contains("No decision, after receipt: between 0 and 120 months.",
            (await PortalBrowser.ParseAsync(refused)).QuerySelector(".alert-danger")!.TextContent);

        await hr.SetPolicyAsync(null, noDecisionAfterReceipt: 9);
        Assert.Equal((received.AddMonths(9), RetentionOutcome.NoDecision), await _portal.DueAsync(id));
        var version = await _portal.WithDbAsync(db => db.RetentionPolicies.AsNoTracking().SingleAsync());
        Assert.Equal(9, version.NoDecisionMonthsAfterReceipt);

        // Closed a month after receipt: closing + 6 months ends before receipt + 9, so it applies.
        _clock.Advance(TimeSpan.FromDays(31));
        var closedAt = _clock.GetUtcNow();
        hr = await _portal.HrAsync();
        HttpAssert.Status(HttpStatusCode.Redirect,
            await hr.SubmitAsync("/manage/postings", $"/manage/postings/{_postingId}/close", new Dictionary<string, string>()));
        Assert.Equal((closedAt.AddMonths(6), RetentionOutcome.NoDecision), await _portal.DueAsync(id));

        // With a long closing period the receipt clock stays the earlier one.
        await hr.SetPolicyAsync(null, noDecision: 12, noDecisionAfterReceipt: 9);
        Assert.Equal((received.AddMonths(9), RetentionOutcome.NoDecision), await _portal.DueAsync(id));
    }

    [Fact]
    public async Task Withdrawn_and_hired_applications_are_warned_in_words_that_fit_and_the_hired_mail_offers_no_talent_pool()
    {
        var (_, withdrawn) = await _portal.ApplyAsync(_postingId, "withdrawn@example.test");
        var (_, hired) = await _portal.ApplyAsync(_postingId, "hired@example.test");
        var dueAt = _clock.GetUtcNow().AddDays(10);
        await _portal.DueAsync(withdrawn, dueAt, RetentionOutcome.Withdrawn);
        await _portal.DueAsync(hired, dueAt, RetentionOutcome.Hired);

        await _portal.RunRetentionAsync();
        var withdrawnMail = await WarningMailAsync(withdrawn);
        Assert.Contains("You withdrew your application for \"Ferry pilot\"", withdrawnMail);
        Assert.Contains(Day(dueAt), withdrawnMail);
        Assert.Contains("Keep my application for future openings", withdrawnMail);
        var hiredMail = await WarningMailAsync(hired);
        Assert.Contains("Congratulations again on the position \"Ferry pilot\"", hiredMail);
        Assert.Contains(Day(dueAt), hiredMail);
        Assert.DoesNotContain("future openings", hiredMail);
    }

    [Fact]
    public async Task The_talent_pool_warning_renews_consent_with_one_click_and_the_application_outlives_the_old_date()
    {
        var (_, id) = await ApplyToPoolAsync("renew@example.test");
        var (oldDue, outcome) = await _portal.DueAsync(id);
        Assert.Equal((EnforcementKit.Start.AddMonths(24), RetentionOutcome.TalentPool), (oldDue, outcome));

        _clock.Advance(oldDue!.Value.AddDays(-14) - _clock.GetUtcNow());
        await _portal.RunRetentionAsync();
        var mail = await WarningMailAsync(id);
        Assert.Contains("Subject: Your place in our talent pool ends soon", mail);
        Assert.Contains(Day(oldDue.Value), mail);
        var link = mail.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http://localhost/consent/renew?token="));
        Assert.DoesNotContain("renew@example.test", link);
        var path = link["http://localhost".Length..];
        var token = Uri.UnescapeDataString(path.Split("token=")[1]);

        // Opening the link (as a mail scanner does) changes nothing; the button does.
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        var page = await visitor.GetPageAsync(path);
        Assert.Equal("Keep me in the talent pool", page.QuerySelector("form[action='/consent/renew'] button[type=submit]")!.TextContent.Trim());
        Assert.Single(await ConsentsAsync(id));
        HttpAssert.Status(HttpStatusCode.BadRequest,
            await visitor.PostAsync("/consent/renew", null, new Dictionary<string, string> { ["Token"] = token }));

        var response = await visitor.SubmitAsync(path, "/consent/renew", new Dictionary<string, string>());
        HttpAssert.Redirect("/consent/renewed", response);
        Assert.Contains("Consent renewed", (await visitor.GetPageAsync("/consent/renewed")).Body!.TextContent);
        var consents = await ConsentsAsync(id);
        Assert.Equal(2, consents.Count);
        Assert.All(consents, c => Assert.Null(c.WithdrawnAt));
        Assert.Equal((_clock.GetUtcNow(), ConsentText.TalentPoolVersion), (consents[^1].GivenAt, consents[^1].TextVersion));
        Assert.Equal((_clock.GetUtcNow().AddMonths(24), RetentionOutcome.TalentPool), await _portal.DueAsync(id));
        Assert.Equal(2, await _portal.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.ConsentGiven && e.ApplicationId == id)));

        _clock.Advance(TimeSpan.FromDays(15)); // past the old date
        await _portal.RunRetentionAsync();
        Assert.True(await _portal.ExistsAsync(id), "a renewed talent-pool application was deleted on the old date");

        // A tampered link renews nothing.
        var tampered = token[..20] + (token[20] == 'A' ? 'B' : 'A') + token[21..];
        Assert.Contains("This link does not work",
            (await visitor.GetPageAsync($"/consent/renew?token={Uri.EscapeDataString(tampered)}")).Body!.TextContent);
    }

    private Task<List<ConsentRecord>> ConsentsAsync(Guid applicationId) =>
        _portal.WithDbAsync(db => db.Consents.AsNoTracking().Where(c => c.ApplicationId == applicationId).OrderBy(c => c.GivenAt).ToListAsync());

    private async Task<(PortalBrowser Browser, Guid ApplicationId)> ApplyToPoolAsync(string email)
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var fields = MyDataTestKit.ApplyFields(email);
        fields["KeepForFutureOpenings"] = "true";
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.ApplyWithAsync(_postingId, fields));
        HttpAssert.Redirect("/my/applications", await _portal.FollowConfirmationLinkAsync(browser, email));
        return (browser, await _portal.WithDbAsync(db => db.Applications.Where(a => a.Applicant.Email == email).Select(a => a.Id).SingleAsync()));
    }
}
