using System.Collections.Concurrent;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Notifications;
using Recruiting.Infrastructure.Mail;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Notifications;

/// <summary>One job sends many mails: one that fails must neither hold back the others nor be sent twice with them.</summary>
public sealed class NotificationJobTests : IDisposable
{
    private readonly ConcurrentDictionary<Guid, bool> _failing = new();
    private readonly PortalFactory _portal;

    public NotificationJobTests()
    {
        _portal = new PortalFactory
        {
            TestServices = services => services.AddSingleton<IMailSender>(sp =>
                new FailingFor(sp.GetRequiredService<PickupDirectoryMailSender>(), _failing)),
        };
    }

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task A_failing_mail_fails_the_job_after_the_others_are_sent_and_marked_and_the_retry_sends_only_it()
    {
        var hrId = await _portal.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync());
        var mails = Enumerable.Range(0, 3).Select(_ => Notification.PasswordReset(hrId, DateTimeOffset.UtcNow)).ToList();
        var failing = mails[1].Id;
        _failing[failing] = true;
        // One commit, so the outbox hands all three to one job.
        await _portal.WithDbAsync(async db =>
        {
            db.Notifications.AddRange(mails);
            await db.SaveChangesAsync();
        });
        var ids = mails.Select(m => m.Id).ToArray();

        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Id == failing && n.Attempts == 1)),
            "the job to try the failing mail");
        var rows = await _portal.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => ids.Contains(n.Id)).ToDictionaryAsync(n => n.Id));
        Assert.NotNull(rows[mails[0].Id].SentAt);
        Assert.NotNull(rows[mails[2].Id].SentAt);
        Assert.Null(rows[failing].SentAt);
        // The job failed, so Hangfire will retry it (its first retry comes after at least 15 s).
        var monitoring = _portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Wait.UntilAsync(() => monitoring.ScheduledJobs(0, 100).Any(j => j.Value.Job?.Type == typeof(NotificationJob)),
            "the failed job to be scheduled for a retry");

        _failing.Clear();
        await RunJobAsync(ids); // what the retry runs: the same ids
        Assert.NotNull(await _portal.WithDbAsync(db => db.Notifications.Where(n => n.Id == failing).Select(n => n.SentAt).SingleAsync()));
        Assert.Equal([1, 1, 2], await _portal.WithDbAsync(db => db.Notifications.Where(n => ids.Contains(n.Id)).OrderBy(n => n.Attempts).Select(n => n.Attempts).ToListAsync()));
        Assert.Equal(3, _portal.MailFiles().Count(f => ids.Any(id => Path.GetFileName(f) == $"{id:N}.eml")));
    }

    private async Task RunJobAsync(Guid[] ids)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationJob>().SendAllAsync(ids, CancellationToken.None);
    }

    private sealed class FailingFor(IMailSender inner, ConcurrentDictionary<Guid, bool> failing) : IMailSender
    {
        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default) =>
            failing.ContainsKey(mail.Id)
                ? throw new IOException("The mail server refused the connection.")
                : inner.SendAsync(mail, cancellationToken);
    }
}
