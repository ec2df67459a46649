using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Notifications;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Rights;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>Art. 18 against retention: a restricted application is kept past its date, mailed nothing, and counted as kept.</summary>
public sealed class RestrictionRetentionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(EnforcementKit.Start);
    private readonly PortalFactory _portal;
    private Guid _postingId;

    public RestrictionRetentionTests() => _portal = EnforcementKit.PortalOn(_clock);

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Archivist");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private Task<int> WarningsAsync(Guid applicationId) =>
        _portal.WithDbAsync(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.DeletionWarning && n.ApplicationId == applicationId));

    [Fact]
    public async Task A_restricted_past_due_application_survives_the_run_which_says_kept_restricted_until_HR_lifts_the_restriction()
    {
        var (browser, restricted) = await _portal.ApplyAsync(_postingId, "restricted@example.test");
        var (_, other) = await _portal.ApplyAsync(_postingId, "other@example.test");
        await browser.PostAndFollowAsync($"/my/applications/{restricted}/restrict", new() { ["Ground"] = "ContestAccuracy" });
        var dueAt = _clock.GetUtcNow().AddDays(20);
        await _portal.DueAsync(restricted, dueAt);
        await _portal.DueAsync(other, dueAt);

        _clock.Advance(TimeSpan.FromDays(6)); // 14 days before: only the unrestricted one is warned
        await _portal.RunRetentionAsync();
        Assert.Equal(1, await WarningsAsync(other));
        Assert.Equal(0, await WarningsAsync(restricted));

        _clock.Advance(TimeSpan.FromDays(15)); // a day past the date
        await _portal.RunRetentionAsync();
        Assert.False(await _portal.ExistsAsync(other));
        Assert.True(await _portal.ExistsAsync(restricted), "a restricted application was deleted");
        var run = (await _portal.RunsAsync())[^1];
        Assert.Equal(1, EnforcementTests.Count(run.Counts, RetentionJob.KeptRestricted));
        Assert.Equal(0, EnforcementTests.Count(run.Counts, RetentionJob.KeptHeld));
        Assert.Equal(1, EnforcementTests.Count(run.Counts, "deleted"));

        // Past the inactivity period too: the other applicant, left with nothing, is erased; the restricted one still
        // has an application, so their account stays.
        var restrictedApplicant = await _portal.ApplicantOfAsync(restricted);
        _clock.Advance(TimeSpan.FromDays(31));
        await _portal.RunRetentionAsync();
        Assert.True(await _portal.ExistsAsync(restricted));
        var erasures = await _portal.WithDbAsync(db => db.Requests.Where(r => r.Type == RequestType.Erasure).Select(r => r.ApplicantId).ToListAsync());
        Assert.Single(erasures);
        Assert.DoesNotContain(restrictedApplicant, erasures.Select(id => id ?? Guid.Empty));

        var hr = await _portal.HrAsync();
        var page = await hr.GetPageAsync("/manage/retention/runs");
        Assert.Contains("kept: restricted=1", page.QuerySelector("table.retention-runs tbody tr .run-counts")!.TextContent);
        // A policy preview counts it apart too: a shorter period would not delete it.
        var preview = await hr.PreviewAsync(null, rejected: 1);
        Assert.Contains("1 application is restricted", preview.QuerySelector("p.restricted")!.TextContent);

        // HR lifts it (the jobseeker is told first); the stored date applies again at the next run.
        var request = await _portal.WithDbAsync(db => db.Requests.Where(r => r.Type == RequestType.Restriction).Select(r => r.Id).SingleAsync());
        var desk = $"/manage/requests/{request}";
        var lift = await hr.PostAsync($"{desk}/lift-restriction", PortalBrowser.AntiforgeryToken(await hr.GetPageAsync(desk), "/account/logout"),
            new Dictionary<string, string>());
        HttpAssert.Status(HttpStatusCode.Redirect, lift);
        await Wait.UntilAsync(async () => !await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == restricted)
            .Select(a => a.IsRestricted).SingleAsync()), "the restriction to be lifted. " + _portal.Logs.Errors());
        await _portal.RunRetentionAsync();
        Assert.False(await _portal.ExistsAsync(restricted), "the lifted application outlived its date");
        run = (await _portal.RunsAsync())[^1];
        Assert.Equal(0, EnforcementTests.Count(run.Counts, RetentionJob.KeptRestricted));
    }

    [Fact]
    public async Task A_restricted_talent_pool_member_gets_no_new_opening_mail_while_an_unrestricted_one_does()
    {
        var (restrictedBrowser, restricted) = await ApplyToPoolAsync("pool-restricted@example.test");
        await ApplyToPoolAsync("pool-free@example.test");
        await restrictedBrowser.PostAndFollowAsync($"/my/applications/{restricted}/restrict", new() { ["Ground"] = "ContestAccuracy" });
        var restrictedUser = await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == restricted).Select(a => a.Applicant.UserId).SingleAsync());

        var opening = await _portal.CreatePostingAsync("Night archivist", open: false);
        var hr = await _portal.HrAsync();
        HttpAssert.Status(HttpStatusCode.Redirect,
            await hr.SubmitAsync("/manage/postings", $"/manage/postings/{opening}/open", new Dictionary<string, string>()));

        await Wait.UntilAsync(() => Mails().Count == 1, "the new-opening mail to the unrestricted member. " + _portal.Logs.Errors());
        Assert.Contains("To: pool-free@example.test", Mails().Single());
        Assert.False(await _portal.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Kind == NotificationKind.NewOpening && n.UserId == restrictedUser)));

        List<string> Mails() => _portal.MailFiles().Select(File.ReadAllText).Where(m => m.Contains("Subject: New opening: Night archivist")).ToList();
    }

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
