using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Notifications;

/// <summary>
/// A feature only adds a <see cref="Notification"/> row with its change: the mail is handed to Hangfire once the
/// change commits, once, and never for a change that rolled back.
/// </summary>
public sealed class OutboxTests : IDisposable
{
    private readonly RecordingJobClient _jobs = new();
    private readonly PortalFactory _portal;

    public OutboxTests()
    {
        _portal = new PortalFactory
        {
            TestServices = services => services.AddSingleton<IBackgroundJobClient>(sp =>
                _jobs.Wrapping(new BackgroundJobClient(sp.GetRequiredService<JobStorage>()))),
        };
    }

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task A_rolled_back_change_owes_no_mail()
    {
        var hrId = await HrIdAsync();
        var rolledBack = Notification.PasswordReset(hrId, DateTimeOffset.UtcNow);
        var abandoned = Notification.PasswordReset(hrId, DateTimeOffset.UtcNow);
        await _portal.WithDbAsync(async db =>
        {
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                db.Notifications.Add(rolledBack);
                await db.SaveChangesAsync();
                await transaction.RollbackAsync();
            }
            db.ChangeTracker.Clear();
            // Disposed without a commit: rolled back just the same.
            await using (await db.Database.BeginTransactionAsync())
            {
                db.Notifications.Add(abandoned);
                await db.SaveChangesAsync();
            }
            db.ChangeTracker.Clear();
            // A later save outside any transaction hands over only what it committed itself.
            db.Notifications.Add(Notification.PasswordReset(hrId, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

        Assert.False(await _portal.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Id == rolledBack.Id || n.Id == abandoned.Id)));
        // Hand-overs go out in order, so once the committed one is handed over, a wrongly owed one would have been too.
        await Wait.UntilAsync(() => _jobs.NotificationIds.Count > 0, "the committed notification to be handed over");
        Assert.DoesNotContain(_jobs.NotificationIds, id => id == rolledBack.Id || id == abandoned.Id);
        Assert.Single(_jobs.NotificationIds);
    }

    [Fact]
    public async Task A_committed_change_is_sent_once_after_its_commit()
    {
        var hrId = await HrIdAsync();
        var owed = Notification.PasswordReset(hrId, DateTimeOffset.UtcNow);
        await _portal.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Notifications.Add(owed);
            await db.SaveChangesAsync();
            Assert.DoesNotContain(owed.Id, _jobs.NotificationIds); // not before the commit: the job would not find the row
            await transaction.CommitAsync();
        });

        await Wait.UntilAsync(() => _jobs.NotificationIds.Count > 0, "the notification to be handed over");
        Assert.Equal([owed.Id], _jobs.NotificationIds);
        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Id == owed.Id && n.SentAt != null)),
            "the mail to be sent");
        var row = await _portal.WithDbAsync(db => db.Notifications.SingleAsync(n => n.Id == owed.Id));
        Assert.NotNull(row.EnqueuedAt); // marked in the commit, so the reconcile job leaves it to the job handed over
        Assert.Equal(1, row.Attempts);
        Assert.Single(_portal.MailFiles(), f => Path.GetFileName(f) == $"{owed.Id:N}.eml");
    }

    [Fact]
    public async Task A_mail_owed_through_the_portal_is_handed_over_once()
    {
        var (owed, _) = await HrPasswordReset.RequestAsync(_portal);

        Assert.Equal([owed], _jobs.NotificationIds);
    }

    [Fact]
    public async Task Mail_committed_in_a_burst_goes_to_Hangfire_in_few_jobs_each_id_once()
    {
        var hrId = await HrIdAsync();
        var owed = new List<Guid>();
        for (var i = 0; i < 30; i++) // thirty separate commits, as thirty requests would make them
            owed.Add(await _portal.WithDbAsync(async db =>
            {
                var notification = Notification.PasswordReset(hrId, DateTimeOffset.UtcNow);
                db.Notifications.Add(notification);
                await db.SaveChangesAsync();
                return notification.Id;
            }));

        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Notifications.CountAsync(n => owed.Contains(n.Id) && n.SentAt != null)) == 30,
            "all thirty mails to be sent");
        Assert.Equal(owed.Order(), _jobs.NotificationIds.Order());
        Assert.InRange(_jobs.JobCount, 1, 29);
        Assert.Equal(30, _portal.MailFiles().Count(f => owed.Any(id => Path.GetFileName(f) == $"{id:N}.eml")));
    }

    private Task<Guid> HrIdAsync() =>
        _portal.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync());

    /// <summary>The real client, recording which notifications were handed to <see cref="NotificationJob"/>.</summary>
    private sealed class RecordingJobClient
    {
        private readonly ConcurrentQueue<Guid> _notificationIds = new();

        private int _jobCount;

        public IReadOnlyList<Guid> NotificationIds => _notificationIds.ToList();

        /// <summary>How many <see cref="NotificationJob"/>s were created.</summary>
        public int JobCount => Volatile.Read(ref _jobCount);

        public IBackgroundJobClient Wrapping(IBackgroundJobClient inner) => new Recorder(inner, this);

        private sealed class Recorder(IBackgroundJobClient inner, RecordingJobClient recording) : IBackgroundJobClient
        {
            public string Create(Job job, IState state)
            {
                if (job.Type == typeof(NotificationJob))
                {
                    Interlocked.Increment(ref recording._jobCount);
                    foreach (var id in job.Args[0] as Guid[] ?? [(Guid)job.Args[0]])
                        recording._notificationIds.Enqueue(id);
                }
                return inner.Create(job, state);
            }

            public bool ChangeState(string jobId, IState state, string expectedState) => inner.ChangeState(jobId, state, expectedState);
        }
    }
}
