using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Notifications;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>The warning before deletion, and the erasure of accounts left without applications and inactive.</summary>
public sealed class EnforcementWarningTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(EnforcementKit.Start);
    private readonly PortalFactory _portal;
    private Guid _postingId;

    public EnforcementWarningTests() => _portal = EnforcementKit.PortalOn(_clock);

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Dispatcher");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private Task<List<Guid>> WarningsAsync(Guid applicationId) =>
        _portal.WithDbAsync(db => db.Notifications.Where(n => n.Kind == NotificationKind.DeletionWarning && n.ApplicationId == applicationId)
            .Select(n => n.Id).ToListAsync());

    [Fact]
    public async Task Fourteen_days_before_deletion_a_rejected_applicant_is_mailed_the_date_once_and_offered_the_talent_pool()
    {
        var (_, rejected) = await _portal.ApplyAsync(_postingId, "warn@example.test", "Wenche Warned");
        var (_, undecided) = await _portal.ApplyAsync(_postingId, "undecided@example.test");
        var (_, hired) = await _portal.ApplyAsync(_postingId, "hired@example.test");
        var dueAt = _clock.GetUtcNow().AddDays(20);
        await _portal.DueAsync(rejected, dueAt);
        await _portal.DueAsync(undecided, dueAt, RetentionOutcome.NoDecision);
        await _portal.DueAsync(hired, dueAt, RetentionOutcome.Hired);

        _clock.Advance(TimeSpan.FromDays(5)); // 15 days before
        await _portal.RunRetentionAsync();
        Assert.Empty(await WarningsAsync(rejected));

        _clock.Advance(TimeSpan.FromDays(1)); // 14 days before
        await _portal.RunRetentionAsync();
        var warning = Assert.Single(await WarningsAsync(rejected));
        Assert.Single(await WarningsAsync(undecided));
        Assert.Single(await WarningsAsync(hired)); // every outcome is warned (the hired mail offers no talent pool)
        Assert.NotNull(await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == rejected).Select(a => a.DeletionWarnedAt).SingleAsync()));
        var run = (await _portal.RunsAsync())[^1];
        Assert.Equal(3, EnforcementTests.Count(run.Counts, "warnings"));

        var path = Path.Combine(_portal.MailFolder, $"{warning:N}.eml");
        await Wait.UntilAsync(() => File.Exists(path), "the warning mail. " + _portal.Logs.Errors());
        var mail = await File.ReadAllTextAsync(path);
        Assert.Contains("To: warn@example.test", mail);
        Assert.Contains("Wenche Warned", mail);
        Assert.Contains(dueAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture), mail);
        Assert.Contains("http://localhost/my/data", mail);
        Assert.Contains("Keep my application for future openings", mail);

        // Later runs do not warn again; on the date, with nothing done, the data goes.
        _clock.Advance(TimeSpan.FromDays(1));
        await _portal.RunRetentionAsync();
        Assert.Single(await WarningsAsync(rejected));
        _clock.Advance(TimeSpan.FromDays(13));
        await _portal.RunRetentionAsync();
        Assert.False(await _portal.ExistsAsync(rejected));
        Assert.False(await _portal.ExistsAsync(hired));
    }

    [Fact]
    public async Task An_applicant_left_with_nothing_is_erased_as_in_an_erasure_once_inactive_unless_a_hold_covers_them()
    {
        var (_, gone) = await _portal.ApplyAsync(_postingId, "inactive@example.test");
        var (_, kept) = await _portal.ApplyAsync(_postingId, "kept@example.test");
        var (_, stillApplying) = await _portal.ApplyAsync(_postingId, "busy@example.test");
        var goneApplicant = await _portal.ApplicantOfAsync(gone);
        var keptApplicant = await _portal.ApplicantOfAsync(kept);
        var goneUser = await _portal.WithDbAsync(db => db.Applicants.Where(a => a.Id == goneApplicant).Select(a => a.UserId).SingleAsync());
        await _portal.DueAsync(gone, _clock.GetUtcNow().AddDays(1), RetentionOutcome.Withdrawn);
        await _portal.DueAsync(kept, _clock.GetUtcNow().AddDays(1), RetentionOutcome.Withdrawn);

        _clock.Advance(TimeSpan.FromDays(1));
        await _portal.RunRetentionAsync();
        Assert.False(await _portal.ExistsAsync(gone));
        Assert.False(await _portal.ExistsAsync(kept));
        // Not signed in for a day only: their accounts stay.
        Assert.Equal(3, await _portal.WithDbAsync(db => db.Applicants.CountAsync()));
        var run = (await _portal.RunsAsync())[^1];
        Assert.Equal(0, EnforcementTests.Count(run.Counts, "applicants"));

        await _portal.HoldAsync(_clock.GetUtcNow(), applicantId: keptApplicant);
        _clock.Advance(TimeSpan.FromDays(30));
        await _portal.RunRetentionAsync();
        run = (await _portal.RunsAsync())[^1];
        Assert.Equal(1, EnforcementTests.Count(run.Counts, "applicants"));

        var request = await _portal.WithDbAsync(db => db.Requests.AsNoTracking().SingleAsync(r => r.Type == RequestType.Erasure));
        await Wait.UntilAsync(() => _portal.WithDbAsync(db => db.Requests.AnyAsync(r => r.Id == request.Id && r.Status == RequestStatus.Completed)),
            "the erasure to complete. " + _portal.Logs.Errors());
        Assert.False(await _portal.WithDbAsync(db => db.Applicants.AnyAsync(a => a.Id == goneApplicant)));
        Assert.False(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == goneUser)));
        Assert.True(await _portal.WithDbAsync(db => db.Applicants.AnyAsync(a => a.Id == keptApplicant)), "a held applicant was erased");
        Assert.True(await _portal.ExistsAsync(stillApplying));
        Assert.True(File.Exists(Path.Combine(_portal.MailFolder, $"{request.Id:N}.eml")), "no erasure receipt");
        var tombstone = await _portal.WithDbAsync(db => db.Requests.AsNoTracking().SingleAsync(r => r.Id == request.Id));
        Assert.Null(tombstone.ApplicantId);
        var filed = await _portal.WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.RequestId == request.Id && e.Action == AuditAction.RequestFiled));
        Assert.Equal(Core.Audit.AuditEvent.SystemActor, filed.ActorRole);
        Assert.Null(filed.ActorUserId);

        // A rerun files nothing more.
        await _portal.RunRetentionAsync();
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Requests.CountAsync(r => r.Type == RequestType.Erasure)));
    }
}
