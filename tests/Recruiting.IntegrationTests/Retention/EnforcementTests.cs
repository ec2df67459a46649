using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Applications;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Retention;
using Recruiting.Core.Review;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>The enforcement run crosses the due date on a fake clock and deletes what is due, only that.</summary>
public sealed class EnforcementTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(EnforcementKit.Start);
    private readonly PortalFactory _portal;
    private Guid _postingId;

    public EnforcementTests() => _portal = EnforcementKit.PortalOn(_clock);

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Warehouse lead");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_day_before_the_due_date_the_data_is_there_on_the_due_date_it_is_gone_and_the_statistics_remain()
    {
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, "due@example.test");
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.WithDbAsync(async db =>
        {
            db.Notes.Add(RecruiterNote.Write(applicationId, recruiter.Id, "Strong on logistics.", _clock.GetUtcNow()));
            await db.SaveChangesAsync();
        });
        var blobs = await _portal.BlobNamesAsync(applicationId);
        Assert.Single(blobs);
        await _portal.DueAsync(applicationId, _clock.GetUtcNow().AddDays(1));

        await _portal.RunRetentionAsync();
        Assert.True(await _portal.ExistsAsync(applicationId), "deleted a day early");
        Assert.True(_portal.BlobExists(blobs[0]));
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Notes.CountAsync(n => n.ApplicationId == applicationId)));

        _clock.Advance(TimeSpan.FromDays(1));
        await _portal.RunRetentionAsync();
        Assert.False(await _portal.ExistsAsync(applicationId), "not deleted on the due date");
        Assert.False(_portal.BlobExists(blobs[0]), "the CV's blob is still there");
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Notes.CountAsync(n => n.ApplicationId == applicationId)));
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Documents.CountAsync(d => d.ApplicationId == applicationId)));
        Assert.Equal(1, await _portal.StatisticAsync(_postingId, RetentionOutcome.Rejected));

        var runs = await _portal.RunsAsync();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(RetentionRunStatus.Completed, r.Status));
        Assert.Contains("deleted=0", runs[0].Counts);
        Assert.Contains("deleted=1", runs[1].Counts);
        Assert.Contains("Rejected=1", runs[1].Counts);

        // HR sees the run and the statistic that outlived the application.
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var page = await hr.GetPageAsync("/manage/retention/runs");
        Assert.Equal(2, page.QuerySelectorAll("table.retention-runs tbody tr").Length);
        var statistic = page.QuerySelector($"table.retention-statistics tr[data-posting-id='{_postingId}']")!;
        Assert.Contains("Warehouse lead", statistic.TextContent);
        Assert.Equal("Rejected", statistic.QuerySelector(".outcome")!.TextContent.Trim());
        Assert.Equal("1", statistic.QuerySelector(".count")!.TextContent.Trim());
    }

    [Fact]
    public async Task What_a_run_deletes_is_left_nowhere_in_the_data_folder_neither_its_mail_nor_in_the_database_files()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, $"gone-{marker}@example.test", $"Rita Namemark{marker}");
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.WithDbAsync(async db =>
        {
            db.Notes.Add(RecruiterNote.Write(applicationId, recruiter.Id, $"Notemark{marker} is strong on logistics.", _clock.GetUtcNow()));
            await db.SaveChangesAsync();
        });
        var received = await _portal.WithDbAsync(db => db.Notifications
            .Where(n => n.ApplicationId == applicationId && n.Kind == NotificationKind.ApplicationReceived).Select(n => n.Id).SingleAsync());
        var receivedMail = Path.Combine(_portal.MailFolder, $"{received:N}.eml");
        await Wait.UntilAsync(() => File.Exists(receivedMail), "the mail confirming the application");
        // Written now on the test's clock, so the run's expiry of week-old mail leaves it alone.
        File.SetLastWriteTimeUtc(receivedMail, _clock.GetUtcNow().UtcDateTime);
        var name = new Rights.Traces().Text("name", $"Namemark{marker}");
        var note = new Rights.Traces().Text("note", $"Notemark{marker}");
        Assert.NotEmpty(name.InFolder(_portal.MailFolder)); // the searches work
        Assert.NotEmpty(PortalFactory.OnPostgreSql ? note.InText("database", await _portal.DatabaseRowsAsTextAsync()) : note.InFolder(_portal.DataDirectory));

        await _portal.DueAsync(applicationId, _clock.GetUtcNow().AddDays(-1));
        await _portal.RunRetentionAsync();

        Assert.False(await _portal.ExistsAsync(applicationId));
        Assert.False(File.Exists(receivedMail), "the mail about the deleted application is still in the pickup folder");
        // The applicant keeps their account (and its name) until it is erased for inactivity; mail about the application goes now.
        Assert.Empty(name.InFolder(_portal.MailFolder));
        // The note was in the database file or its WAL: the run ends with the checkpoint that erasure runs.
        var left = note.InFolder(_portal.DataDirectory)
            .Concat(PortalFactory.OnPostgreSql ? note.InText("database", await _portal.DatabaseRowsAsTextAsync()) : []).ToList();
        Assert.True(left.Count == 0, "Found after the run:\n" + string.Join("\n", left));
    }

    [Fact]
    public async Task A_hold_stops_deletion_lifting_it_lets_the_data_go_at_the_next_run_and_an_expired_hold_does_not_block()
    {
        var (_, held) = await _portal.ApplyAsync(_postingId, "held@example.test");
        var (_, heldApplicant) = await _portal.ApplyAsync(_postingId, "held-person@example.test");
        var (_, expired) = await _portal.ApplyAsync(_postingId, "expired@example.test");
        var now = _clock.GetUtcNow();
        foreach (var id in new[] { held, heldApplicant, expired })
            await _portal.DueAsync(id, now.AddDays(-1), RetentionOutcome.Withdrawn);
        var onApplication = await _portal.HoldAsync(now, applicationId: held);
        var onApplicant = await _portal.HoldAsync(now, applicantId: await _portal.ApplicantOfAsync(heldApplicant));
        await _portal.HoldAsync(now.AddDays(-30), applicationId: expired, endsAt: now.AddDays(-2));

        await _portal.RunRetentionAsync();
        Assert.True(await _portal.ExistsAsync(held), "a hold on the application did not stop its deletion");
        Assert.True(await _portal.ExistsAsync(heldApplicant), "a hold on the applicant did not stop the deletion of their application");
        Assert.False(await _portal.ExistsAsync(expired), "an expired hold blocked the deletion");

        _clock.Advance(TimeSpan.FromHours(1));
        await _portal.LiftAsync(onApplication, _clock.GetUtcNow());
        await _portal.RunRetentionAsync();
        Assert.False(await _portal.ExistsAsync(held), "still there after its hold was lifted");
        Assert.True(await _portal.ExistsAsync(heldApplicant));

        await _portal.LiftAsync(onApplicant, _clock.GetUtcNow());
        await _portal.RunRetentionAsync();
        Assert.False(await _portal.ExistsAsync(heldApplicant));
        Assert.Equal(3, await _portal.StatisticAsync(_postingId, RetentionOutcome.Withdrawn));
    }

    [Fact]
    public async Task Two_runs_at_once_delete_each_application_once_and_count_it_once()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
            ids.Add((await _portal.ApplyAsync(_postingId, $"both-{i}@example.test")).ApplicationId);
        foreach (var id in ids)
            await _portal.DueAsync(id, _clock.GetUtcNow().AddDays(-3));

        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => _portal.RunRetentionAsync())));

        Assert.Equal(0, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        Assert.Equal(7, await _portal.StatisticAsync(_postingId, RetentionOutcome.Rejected));
        var runs = await _portal.RunsAsync();
        Assert.DoesNotContain(runs, r => r.Status != RetentionRunStatus.Completed);
        Assert.Equal(7, runs.Sum(r => Count(r.Counts, "deleted")));
    }

    [Fact]
    public async Task The_same_batch_deleted_by_two_callers_at_once_is_deleted_and_counted_once()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
            ids.Add((await _portal.ApplyAsync(_postingId, $"race-{i}@example.test")).ApplicationId);
        foreach (var id in ids)
            await _portal.DueAsync(id, _clock.GetUtcNow().AddDays(-3), RetentionOutcome.NoDecision);

        async Task<int> DeleteAsync()
        {
            await using var scope = _portal.Services.CreateAsyncScope();
            var deleted = await scope.ServiceProvider.GetRequiredService<ApplicationDeletion>().DeleteAsync(ids, _clock.GetUtcNow(), CancellationToken.None);
            return deleted.Values.Sum();
        }
        var counted = await Task.WhenAll(Task.Run(DeleteAsync), Task.Run(DeleteAsync));

        Assert.Equal(4, counted.Sum());
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        Assert.Equal(4, await _portal.StatisticAsync(_postingId, RetentionOutcome.NoDecision));
    }

    [Fact]
    public async Task Above_the_cap_a_run_deletes_nothing_and_alerts_every_active_HR_user()
    {
        using var portal = EnforcementKit.PortalOn(_clock, settings: new Dictionary<string, string> { ["Retention:MaxDeletionsPerRun"] = "2" });
        var posting = await portal.CreatePostingAsync("Forklift driver");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
            ids.Add((await portal.ApplyAsync(posting, $"cap-{i}@example.test")).ApplicationId);
        foreach (var id in ids)
            await portal.DueAsync(id, _clock.GetUtcNow().AddDays(-1));
        var otherHr = await portal.CreateStaffAsync(Roles.HR);

        await portal.RunRetentionAsync();

        Assert.Equal(3, await portal.WithDbAsync(db => db.Applications.CountAsync()));
        var run = Assert.Single(await portal.RunsAsync());
        Assert.Equal(RetentionRunStatus.StoppedAtCap, run.Status);
        Assert.Contains("due=3", run.Counts);
        Assert.Contains("cap=2", run.Counts);
        var alerted = await portal.WithDbAsync(db => db.Notifications.Where(n => n.Kind == NotificationKind.RetentionCapReached)
            .Select(n => new { n.Id, n.UserId }).ToListAsync());
        Assert.Equal(2, alerted.Count);
        Assert.Contains(alerted, n => n.UserId == otherHr.Id);
        var mail = Path.Combine(portal.MailFolder, $"{alerted.Single(n => n.UserId == otherHr.Id).Id:N}.eml");
        await Wait.UntilAsync(() => File.Exists(mail), "the cap alert mail. " + portal.Logs.Errors());
        var text = await File.ReadAllTextAsync(mail);
        Assert.Contains($"To: {otherHr.Email}", text);
        Assert.Contains("deleted nothing", text);
        Assert.Contains("/manage/retention/runs", text);

        var hr = await portal.SignedInAsync(PortalFactory.HrEmail, portal.HrPassword);
        var page = await hr.GetPageAsync("/manage/retention/runs");
        Assert.Contains("Stopped at the cap", page.QuerySelector("table.retention-runs .run-status")!.TextContent);
    }

    [Fact]
    public async Task A_dry_run_reports_what_it_would_delete_per_outcome_and_deletes_nothing()
    {
        using var portal = EnforcementKit.PortalOn(_clock, settings: new Dictionary<string, string> { ["Retention:DryRun"] = "true" });
        var posting = await portal.CreatePostingAsync("Planner");
        var (_, rejected) = await portal.ApplyAsync(posting, "dry-1@example.test");
        var (_, withdrawn) = await portal.ApplyAsync(posting, "dry-2@example.test");
        var (_, soon) = await portal.ApplyAsync(posting, "dry-3@example.test");
        await portal.DueAsync(rejected, _clock.GetUtcNow().AddDays(-1));
        await portal.DueAsync(withdrawn, _clock.GetUtcNow().AddDays(-1), RetentionOutcome.Withdrawn);
        await portal.DueAsync(soon, _clock.GetUtcNow().AddDays(5));
        var blobs = await portal.BlobNamesAsync(rejected);

        await portal.RunRetentionAsync();

        Assert.True(await portal.ExistsAsync(rejected));
        Assert.True(await portal.ExistsAsync(withdrawn));
        Assert.True(portal.BlobExists(blobs[0]));
        Assert.Equal(0, await portal.WithDbAsync(db => db.PostingStatistics.CountAsync()));
        Assert.Equal(0, await portal.WithDbAsync(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.DeletionWarning)));
        var run = Assert.Single(await portal.RunsAsync());
        Assert.True(run.DryRun);
        Assert.Equal(RetentionRunStatus.Completed, run.Status);
        Assert.Equal(2, Count(run.Counts, "due"));
        Assert.Equal(1, Count(run.Counts, "Rejected"));
        Assert.Equal(1, Count(run.Counts, "Withdrawn"));
        Assert.Equal(1, Count(run.Counts, "warnings"));
    }

    [Fact]
    public async Task HR_runs_it_now_from_the_runs_page_and_it_runs_in_the_background()
    {
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, "now@example.test");
        await _portal.DueAsync(applicationId, _clock.GetUtcNow().AddDays(-1));
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var page = await hr.GetPageAsync("/manage/retention/runs");
        Assert.NotNull(page.QuerySelector(".no-runs"));
        Assert.NotNull(page.QuerySelector("a[href^='/hangfire']"));

        var response = await hr.SubmitAsync("/manage/retention/runs", "/manage/retention/runs/run", new Dictionary<string, string>());
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.Equal("/manage/retention/runs", response.Headers.Location?.OriginalString);

        await Wait.UntilAsync(async () => (await _portal.RunsAsync()).Any(r => r.Status == RetentionRunStatus.Completed),
            "the triggered run to complete. " + _portal.Logs.Errors());
        Assert.False(await _portal.ExistsAsync(applicationId));
    }

    internal static int Count(string? counts, string key) =>
        (counts ?? "").Split("; ", StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('='))
            .Where(p => p[0] == key).Select(p => int.Parse(p[1])).SingleOrDefault();
}
