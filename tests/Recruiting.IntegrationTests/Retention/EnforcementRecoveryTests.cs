using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Applications;
using Recruiting.Core.Retention;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>The enforcement run is idempotent and resumable: a run killed half-way finishes on the next one.</summary>
public sealed class EnforcementRecoveryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(EnforcementKit.Start);
    private readonly FailingBlobStore _blobs = new();
    private readonly PortalFactory _portal;
    private Guid _postingId;

    public EnforcementRecoveryTests() => _portal = EnforcementKit.PortalOn(_clock, _blobs.Install);

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Night shift supervisor");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<List<Guid>> DueApplicationsAsync(int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
            ids.Add((await _portal.ApplyAsync(_postingId, $"recover-{i}@example.test")).ApplicationId);
        foreach (var id in ids)
            await _portal.DueAsync(id, _clock.GetUtcNow().AddDays(-1));
        return ids;
    }

    [Fact]
    public async Task A_run_that_dies_between_blobs_and_rows_is_finished_by_the_next_run_and_nothing_is_counted_twice()
    {
        var ids = await DueApplicationsAsync(5);
        var blobs = new List<string>();
        foreach (var id in ids)
            blobs.AddRange(await _portal.BlobNamesAsync(id));

        // Batches of two: the first batch commits, the second dies after deleting one of its two blobs.
        _blobs.FailAfter(3);
        await Assert.ThrowsAsync<IOException>(() => _portal.RunRetentionAsync());

        var first = Assert.Single(await _portal.RunsAsync());
        Assert.Equal(RetentionRunStatus.Failed, first.Status);
        Assert.Equal(3, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        Assert.Equal(2, await _portal.StatisticAsync(_postingId, RetentionOutcome.Rejected));
        // Half-way: three blobs gone, two with their rows and one whose row is still there.
        Assert.Equal(3, blobs.Count(b => !_portal.BlobExists(b)));

        _blobs.Heal();
        await _portal.RunRetentionAsync();

        Assert.Equal(0, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Documents.CountAsync()));
        Assert.All(blobs, b => Assert.False(_portal.BlobExists(b)));
        Assert.Equal(5, await _portal.StatisticAsync(_postingId, RetentionOutcome.Rejected));
        var runs = await _portal.RunsAsync();
        Assert.Equal(RetentionRunStatus.Completed, runs[1].Status);
        Assert.Equal(3, EnforcementTests.Count(runs[1].Counts, "deleted"));
    }

    [Fact]
    public async Task A_run_left_Running_by_a_killed_process_is_taken_over_once_its_heartbeat_is_stale_and_not_before()
    {
        await DueApplicationsAsync(3);
        var killed = RetentionRun.Start(dryRun: false, _clock.GetUtcNow());
        await _portal.WithDbAsync(async db => { db.RetentionRuns.Add(killed); await db.SaveChangesAsync(); });

        // Its heartbeat is fresh: it may still be working, so this run leaves it alone and does nothing.
        _clock.Advance(RetentionJob.LeaseStaleAfter - TimeSpan.FromMinutes(1));
        await _portal.RunRetentionAsync();
        Assert.Equal(3, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        Assert.Single(await _portal.RunsAsync());

        _clock.Advance(TimeSpan.FromMinutes(2));
        await _portal.RunRetentionAsync();
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        var runs = await _portal.RunsAsync();
        Assert.Equal(2, runs.Count);
        Assert.Equal(RetentionRunStatus.Failed, runs.Single(r => r.Id == killed.Id).Status);
        Assert.Equal(RetentionRunStatus.Completed, runs.Single(r => r.Id != killed.Id).Status);
        Assert.Equal(3, await _portal.StatisticAsync(_postingId, RetentionOutcome.Rejected));
    }

    [Fact]
    public async Task The_database_admits_one_Running_run_at_a_time()
    {
        var now = _clock.GetUtcNow();
        await _portal.WithDbAsync(async db => { db.RetentionRuns.Add(RetentionRun.Start(false, now)); await db.SaveChangesAsync(); });
        await Assert.ThrowsAsync<DbUpdateException>(() =>
            _portal.WithDbAsync(async db => { db.RetentionRuns.Add(RetentionRun.Start(false, now)); await db.SaveChangesAsync(); }));
    }
}
