using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>What the request-desk tests share: a portal on a fake clock, and requests filed the way the jobseeker's pages file them.</summary>
internal static class DeskTestKit
{
    /// <summary>31 January: one calendar month later is 28 February (AddMonths keeps to the month's last day).</summary>
    public static readonly DateTimeOffset Start = new(2027, 1, 31, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A portal whose <see cref="TimeProvider"/> is <paramref name="clock"/>. The sign-in cookie runs on the same
    /// clock, so a browser signed in before the clock moves a month on is signed out: sign in after moving it.
    /// </summary>
    public static PortalFactory PortalOn(FakeTimeProvider clock, Action<IServiceCollection>? more = null) =>
        new() { TestServices = services => { services.AddSingleton<TimeProvider>(clock); more?.Invoke(services); } };

    /// <summary>
    /// Files a request through <see cref="RightsRequests"/> as the jobseeker's pages do. A restriction also restricts the
    /// application, as the jobseeker's restriction page does.
    /// </summary>
    public static async Task<Guid> FileAsync(this PortalFactory portal, Guid applicationId, RequestType type, string? details = null)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Recruiting.Core.Data.RecruitingDbContext>();
        var application = await db.Applications.Include(a => a.Applicant).SingleAsync(a => a.Id == applicationId);
        var request = await scope.ServiceProvider.GetRequiredService<RightsRequests>()
            .FileAsync(application.Applicant, type, CancellationToken.None, applicationId, details);
        if (type == RequestType.Restriction)
        {
            application.Restrict();
            await db.SaveChangesAsync();
        }
        return request.Id;
    }

    public static Task<DataSubjectRequest> RequestAsync(this PortalFactory portal, Guid requestId) =>
        portal.WithDbAsync(db => db.Requests.AsNoTracking().SingleAsync(r => r.Id == requestId));

    /// <summary>The mail a notification became, once it is sent.</summary>
    public static async Task<string> MailOfAsync(this PortalFactory portal, NotificationKind kind, Guid requestId)
    {
        var id = await portal.WithDbAsync(db => db.Notifications.Where(n => n.RequestId == requestId && n.Kind == kind)
            .Select(n => n.Id).SingleAsync());
        var path = Path.Combine(portal.MailFolder, $"{id:N}.eml");
        await Wait.UntilAsync(() => File.Exists(path), $"the {kind} mail. " + portal.Logs.Errors());
        return await File.ReadAllTextAsync(path);
    }
}

/// <summary>Holds back the mails with one subject until the test opens the gate; every other mail goes straight through.</summary>
internal sealed class MailGate(string subject)
{
    private readonly string _subject = subject;
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a held mail is waiting at the gate: its job has got as far as sending.</summary>
    public Task Arrived => _arrived.Task;

    public void Open() => _open.TrySetResult();

    /// <summary>Puts the gate in front of the app's own mail sender.</summary>
    public void Install(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(IMailSender));
        services.AddSingleton<IMailSender>(sp => new Sender((IMailSender)real.ImplementationFactory!(sp), this));
    }

    private sealed class Sender(IMailSender inner, MailGate gate) : IMailSender
    {
        public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
        {
            if (mail.Subject == gate._subject)
            {
                gate._arrived.TrySetResult();
                await gate._open.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            }
            await inner.SendAsync(mail, cancellationToken);
        }
    }
}
