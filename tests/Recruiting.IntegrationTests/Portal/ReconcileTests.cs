using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Setup;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Portal;

/// <summary>The application database, not Hangfire, is the system of record: work it says is unfinished survives the loss of Hangfire's storage.</summary>
public sealed class ReconcileTests : IDisposable
{
    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task A_notification_hangfire_never_got_is_sent_after_the_reconcile_job_runs()
    {
        var postingId = await _portal.CreatePostingAsync();
        var url = $"/postings/{postingId}/apply";
        await new PortalBrowser(_portal.CreateBrowserClient()).SubmitAsync(url, url, ApplyTests.Fields("lost@example.test"),
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf())]);
        await Wait.UntilAsync(() => _portal.MailFiles().Count == 2, "the first two mails");
        var userId = await _portal.WithDbAsync(db => db.Users.Where(u => u.Email == "lost@example.test").Select(u => u.Id).SingleAsync());
        var applicationId = await _portal.WithDbAsync(db => db.Applications.Select(a => a.Id).SingleAsync());

        // As if the row was committed and the process died before Hangfire stored the job: saved by a context
        // without the outbox, so nothing hands it over.
        var lost = Notification.ApplicationReceived(userId, applicationId, DateTimeOffset.UtcNow);
        var options = new DbContextOptionsBuilder<RecruitingDbContext>();
        DatabaseServiceCollectionExtensions.Configure(options, _portal.Services.GetRequiredService<DatabaseOptions>(),
            _portal.Services.GetRequiredService<DataDirectory>());
        await using (var db = new RecruitingDbContext(options.Options))
        {
            db.Notifications.Add(lost);
            await db.SaveChangesAsync();
        }

        await using (var scope = _portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ReconcileJob>().RunAsync(CancellationToken.None);

        await Wait.UntilAsync(() => File.Exists(Path.Combine(_portal.MailFolder, $"{lost.Id:N}.eml")), "the reconciled mail");
        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Id == lost.Id && n.SentAt != null)),
            "the notification to be marked sent");

        // A second run finds nothing stale and sends nothing more.
        await using (var scope = _portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ReconcileJob>().RunAsync(CancellationToken.None);
        Assert.Equal(3, _portal.MailFiles().Count);
    }
}
