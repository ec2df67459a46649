using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>
/// A mail the SMTP server refuses fails its job, and Hangfire keeps the job's exception (in its state history, which
/// the dashboard shows) and logs it. Servers quote the refused address in their reply; none of that may keep it.
/// </summary>
public sealed class SmtpRefusalTests : IAsyncLifetime
{
    private readonly RefusingSmtpServer _smtp = new();
    private PortalFactory _portal = null!;

    public Task InitializeAsync()
    {
        _portal = new PortalFactory();
        foreach (var (key, value) in Maildev.SmtpSettings(_smtp.Port))
            _portal.Settings[key] = value;
        _portal.Logs.MinimumLevel = LogLevel.Trace;
        foreach (var category in new[] { "Default", "Microsoft.AspNetCore", "Hangfire" })
            _portal.Settings[$"Logging:LogLevel:{category}"] = "Trace";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _portal.Dispose();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task A_refused_recipient_leaves_its_address_neither_in_the_failed_job_nor_in_the_logs()
    {
        var marker = "refused" + Guid.NewGuid().ToString("N")[..12];
        var email = $"{marker}@example.test";
        var postingId = await _portal.CreatePostingAsync("Refused mail engineer");

        await _portal.ApplyAsync(postingId, email, "Rita Refused");

        var monitoring = _portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        string history = "";
        await Wait.UntilAsync(() =>
        {
            history = HangfireHistory(monitoring);
            return history.Contains("RecipientNotAccepted", StringComparison.Ordinal);
        }, "a mail job to fail on the refused recipient and Hangfire to record why", TimeSpan.FromSeconds(60));

        Assert.True(_smtp.Refused > 0);
        Assert.Contains("550", history); // the status code stays, for HR to diagnose
        Assert.DoesNotContain(marker, history, StringComparison.OrdinalIgnoreCase);
        // Hangfire logs through a process-wide provider that may belong to another test's host, so every host's
        // captured lines are searched. The exception logged is the one whose text the job history shows above.
        var logs = string.Join('\n', CapturedLogs.All.SelectMany(l => l.Entries.Select(e => $"{e.Message} {e.Exception}").Concat(l.Structured)));
        Assert.DoesNotContain(marker, logs, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Every state every job went through, with its reason and data (exception message and details included).</summary>
    private static string HangfireHistory(Hangfire.Storage.IMonitoringApi monitoring)
    {
        var ids = monitoring.ScheduledJobs(0, 1000).Select(j => j.Key)
            .Concat(monitoring.FailedJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.SucceededJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.ProcessingJobs(0, 1000).Select(j => j.Key))
            .Distinct();
        var text = new System.Text.StringBuilder();
        foreach (var id in ids)
            foreach (var state in monitoring.JobDetails(id)?.History ?? [])
            {
                text.Append(state.StateName).Append(": ").AppendLine(state.Reason);
                foreach (var (key, value) in state.Data ?? new Dictionary<string, string>())
                    text.Append(key).Append('=').AppendLine(value);
            }
        return text.ToString();
    }
}
