using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Rights;
using static Recruiting.Core.Applications.ApplicationStatus;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>HR's retention policies, previewed, versioned and audited; a policy change moves due dates.</summary>
public sealed class PolicyTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = PolicyTestKit.Start;
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly PortalFactory _portal;
    private Guid _postingA;
    private Guid _postingB;

    public PolicyTests() => _portal = DeskTestKit.PortalOn(_clock);

    public async Task InitializeAsync()
    {
        _postingA = await _portal.CreatePostingAsync("Posting A");
        _postingB = await _portal.CreatePostingAsync("Posting B");
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_default_comes_from_the_settings_until_HR_saves_one_and_a_saved_change_moves_due_dates()
    {
        var a = await RejectedAsync(_postingA, "a@example.test");
        var b = await RejectedAsync(_postingB, "b@example.test");
        var hr = await _portal.HrAsync();

        var overview = await hr.GetPageAsync("/manage/retention");
        Assert.Contains("From the settings", overview.QuerySelector(".default-source")!.TextContent);
        Assert.Equal("6", overview.QuerySelector(".default-policy tr[data-field='RejectedMonths'] .period")!.TextContent.Trim());
        Assert.Contains("Rejected: months after the rejection decision", overview.QuerySelector(".default-policy")!.TextContent);
        Assert.NotNull(overview.QuerySelector(".no-history"));
        var form = await hr.GetPageAsync("/manage/retention/edit");
        Assert.Equal("6", form.QuerySelector("input#RejectedMonths")!.GetAttribute("value"));
        Assert.Equal("Withdrawn by the applicant: days after withdrawal", form.QuerySelector("label[for=WithdrawnDays]")!.TextContent.Trim());

        _clock.Advance(TimeSpan.FromDays(122)); // 31 December: the 6-month dates (29 February) are 60 days away
        hr = await _portal.HrAsync();
        var preview = await hr.PreviewAsync(null, rejected: 3);
        Assert.Equal((0, 1, 0, 0), Counts(preview, _postingA));
        Assert.Equal((0, 1, 0, 0), Counts(preview, _postingB));
        Assert.Equal("2", preview.QuerySelector("tr.totals .due-now-after")!.TextContent.Trim());
        Assert.Contains("fw-bold", preview.QuerySelector(".periods tr[data-field='RejectedMonths']")!.ClassName);

        // Nothing is saved until confirmed.
        Assert.Equal(0, await _portal.WithDbAsync(db => db.RetentionPolicies.CountAsync()));
        Assert.Equal(0, await _portal.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.RetentionPolicyChanged)));
        Assert.Equal(Start.AddMonths(6), (await _portal.DueAsync(a)).DueAt);

        await hr.ConfirmAsync(preview);
        Assert.Equal((Start.AddMonths(3), RetentionOutcome.Rejected), await _portal.DueAsync(a));
        Assert.Equal((Start.AddMonths(3), RetentionOutcome.Rejected), await _portal.DueAsync(b));

        var hrId = await _portal.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync());
        var version = await _portal.WithDbAsync(db => db.RetentionPolicies.AsNoTracking().SingleAsync());
        Assert.Equal((null, 1, 3, 30, 24, hrId, _clock.GetUtcNow(), false),
            (version.JobPostingId, version.Version, version.RejectedMonths, version.WithdrawnDays, version.TalentPoolMonths, version.ChangedByUserId,
                version.ChangedAt, version.Removed));
        Assert.NotNull(version.AppliedAt);
        var audit = await _portal.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditAction.RetentionPolicyChanged));
        Assert.Equal((Roles.HR, hrId), (audit.ActorRole, audit.ActorUserId));
        Assert.Equal($"policy={version.Id}; posting=default; version=1; fields=RejectedMonths", audit.Counts);

        overview = await hr.GetPageAsync("/manage/retention");
        Assert.Equal("Policy saved. The due dates of the applications it governs are updated.", overview.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Contains($"Version 1, changed by {PortalFactory.HrEmail}", overview.QuerySelector(".default-source")!.TextContent);
        var line = Assert.Single(overview.QuerySelectorAll(".history tbody tr"));
        Assert.Equal("6 → 3", line.QuerySelector("td[data-field='RejectedMonths']")!.TextContent.Trim());
        Assert.Equal("30 → 30", line.QuerySelector("td[data-field='WithdrawnDays']")!.TextContent.Trim());
        Assert.Contains(PortalFactory.HrEmail, line.TextContent);
    }

    [Fact]
    public async Task An_override_moves_only_its_postings_dates_and_removing_it_falls_back_to_the_default()
    {
        var a = await RejectedAsync(_postingA, "a@example.test");
        var b = await RejectedAsync(_postingB, "b@example.test");
        var hr = await _portal.HrAsync();

        var preview = await hr.PreviewAsync(_postingB, rejected: 12);
        Assert.Null(preview.QuerySelector($".preview-counts tr[data-posting-id='{_postingA}']"));
        await hr.ConfirmAsync(preview);
        Assert.Equal(Start.AddMonths(6), (await _portal.DueAsync(a)).DueAt);
        Assert.Equal(Start.AddMonths(12), (await _portal.DueAsync(b)).DueAt);
        var row = (await hr.GetPageAsync("/manage/retention")).QuerySelector($".overrides tr[data-posting-id='{_postingB}']")!;
        Assert.Equal("12", row.QuerySelector("td[data-field='RejectedMonths']")!.TextContent.Trim());
        Assert.Contains(PortalFactory.HrEmail, row.TextContent);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await hr.SetPolicyAsync(null, rejected: 3);
        Assert.Equal(Start.AddMonths(3), (await _portal.DueAsync(a)).DueAt);
        Assert.Equal(Start.AddMonths(12), (await _portal.DueAsync(b)).DueAt); // its override still governs it

        Assert.NotNull((await hr.GetPageAsync($"/manage/retention/edit?postingId={_postingB}")).QuerySelector("form.remove-override"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var removal = await hr.PreviewAsync(_postingB, remove: true);
        Assert.Equal("3", removal.QuerySelectorAll(".periods tr[data-field='RejectedMonths'] td")[1].TextContent.Trim());
        await hr.ConfirmAsync(removal);
        Assert.Equal(Start.AddMonths(3), (await _portal.DueAsync(b)).DueAt);

        var overview = await hr.GetPageAsync("/manage/retention");
        Assert.NotNull(overview.QuerySelector(".no-overrides"));
        Assert.Null((await hr.GetPageAsync($"/manage/retention/edit?postingId={_postingB}")).QuerySelector("form.remove-override"));
        var history = overview.QuerySelectorAll(".history tbody tr").ToList();
        Assert.Equal(3, history.Count);
        Assert.Contains("Removed", history[0].TextContent);
        Assert.Equal("12 → default", history[0].QuerySelector("td[data-field='RejectedMonths']")!.TextContent.Trim());
        Assert.Equal("6 → 3", history[1].QuerySelector("td[data-field='RejectedMonths']")!.TextContent.Trim());
        Assert.Equal("default → 12", history[2].QuerySelector("td[data-field='RejectedMonths']")!.TextContent.Trim());

        var versions = await _portal.WithDbAsync(db => db.RetentionPolicies.AsNoTracking().OrderBy(p => p.ChangedAt).ThenBy(p => p.Version).ToListAsync());
        Assert.Equal([(_postingB, 1, false), (null, 1, false), (_postingB, 2, true)],
            versions.Select(v => (v.JobPostingId, v.Version, v.Removed)));
        var audits = await _portal.WithDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.Action == AuditAction.RetentionPolicyChanged)
            .OrderBy(e => e.Id).Select(e => e.Counts).ToListAsync());
        Assert.Equal(versions.Select(v => $"policy={v.Id};"), audits.Select(c => c!.Split(' ')[0]));
        Assert.EndsWith("fields=removed", audits[2]);
    }

    [Fact]
    public async Task The_preview_counts_due_at_once_and_within_30_days_per_posting_and_refuses_what_cannot_be_saved()
    {
        var hr = await _portal.HrAsync();
        await RejectedAsync(_postingA, "a1@example.test", hr);
        await RejectedAsync(_postingA, "a2@example.test", hr);
        var held = await RejectedAsync(_postingA, "a3@example.test", hr);
        await _portal.WithDbAsync(db => db.Applications.Where(x => x.Id == held).ExecuteUpdateAsync(s => s.SetProperty(x => x.OnLegalHold, true)));
        _clock.Advance(TimeSpan.FromDays(20));
        await RejectedAsync(_postingB, "b1@example.test", await _portal.HrAsync()); // 20 September: due 20 March

        _clock.SetUtcNow(new DateTimeOffset(2028, 2, 10, 10, 0, 0, TimeSpan.Zero));
        hr = await _portal.HrAsync();
        var preview = await hr.PreviewAsync(null, rejected: 5);
        Assert.Equal((0, 2, 2, 0), Counts(preview, _postingA)); // 29 February is in 19 days; with 5 months, 31 January is past
        Assert.Equal((0, 0, 0, 1), Counts(preview, _postingB)); // 20 March is 39 days away; with 5 months, 20 February
        Assert.Contains("1 application is under a legal hold", preview.QuerySelector(".held")!.TextContent);

        var refused = await PortalBrowser.ParseAsync(await hr.ProposeAsync(null, rejected: 200));
        Assert.Equal("Rejected: between 0 and 120 months.", refused.QuerySelector(".alert-danger")!.TextContent.Trim());
        Assert.Equal("200", refused.QuerySelector("input#RejectedMonths")!.GetAttribute("value"));
        var page = await hr.GetPageAsync("/manage/retention/edit");
        var missing = await hr.PostAsync("/manage/retention/edit", PortalBrowser.AntiforgeryToken(page, "/manage/retention/edit"),
            new Dictionary<string, string> { ["RejectedMonths"] = "3", ["Confirm"] = "true" });
        Assert.Contains("Fill in all six periods", (await PortalBrowser.ParseAsync(missing)).QuerySelector(".alert-danger")!.TextContent);
        HttpAssert.Status(HttpStatusCode.NotFound, await hr.PostAsync("/manage/retention/edit", PortalBrowser.AntiforgeryToken(page, "/manage/retention/edit"),
            new Dictionary<string, string> { ["PostingId"] = Guid.NewGuid().ToString(), ["RejectedMonths"] = "3", ["WithdrawnDays"] = "30",
                ["NoDecisionMonthsAfterClosing"] = "6", ["HiredMonths"] = "6", ["TalentPoolMonths"] = "24" }));
        HttpAssert.Status(HttpStatusCode.NotFound, await hr.Client.GetAsync($"/manage/retention/edit?postingId={Guid.NewGuid()}"));
        var noOverride = await PortalBrowser.ParseAsync(await hr.ProposeAsync(_postingA, remove: true));
        Assert.Equal("This posting has no override to remove.", noOverride.QuerySelector(".alert-danger")!.TextContent.Trim());
        Assert.Equal(0, await _portal.WithDbAsync(db => db.RetentionPolicies.CountAsync()));

        await hr.SetPolicyAsync(null, rejected: 5);
        var same = await PortalBrowser.ParseAsync(await hr.ProposeAsync(null, rejected: 5));
        Assert.Equal("These are the periods in force already: nothing to save.", same.QuerySelector(".alert-danger")!.TextContent.Trim());
        Assert.Equal(1, await _portal.WithDbAsync(db => db.RetentionPolicies.CountAsync()));
    }

    [Fact]
    public async Task While_a_version_is_still_owed_changes_go_to_the_job_and_the_reconcile_job_hands_over_what_was_lost()
    {
        var a = await RejectedAsync(_postingA, "a@example.test");
        var hrId = await _portal.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync());
        // A version whose job was lost with Hangfire's storage: saved, never applied.
        var lost = RetentionPolicy.NextVersion(null, null, new RetentionPeriods(1, 30, 6, 6, 24, 6), hrId, _clock.GetUtcNow());
        await _portal.WithDbAsync(db => { db.RetentionPolicies.Add(lost); return db.SaveChangesAsync(); });
        var hr = await _portal.HrAsync();
        Assert.NotNull((await hr.GetPageAsync("/manage/retention")).QuerySelector(".default-source .due-dates-pending"));

        await hr.SetPolicyAsync(_postingA, rejected: 2);
        Assert.Equal("Policy saved. The due dates of the applications it governs are being updated in the background.",
            (await hr.GetPageAsync("/manage/retention")).QuerySelector(".alert-success")!.TextContent.Trim());
        await Wait.UntilAsync(async () => (await _portal.DueAsync(a)).DueAt == Start.AddMonths(2), "the override's job. " + _portal.Logs.Errors());

        _clock.Advance(JobStorageEpoch.StaleAfter + TimeSpan.FromMinutes(1));
        await using (var scope = _portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PolicyReconcileJob>().RunAsync(CancellationToken.None);
        await Wait.UntilAsync(() => _portal.WithDbAsync(db => db.RetentionPolicies.AllAsync(p => p.AppliedAt != null)),
            "every version applied. " + _portal.Logs.Errors());
        Assert.Equal(Start.AddMonths(2), (await _portal.DueAsync(a)).DueAt); // the override, not the default, governs A
    }

    private async Task<Guid> RejectedAsync(Guid postingId, string email, PortalBrowser? hr = null)
    {
        var (_, id) = await _portal.ApplyAsync(postingId, email);
        await (hr ?? await _portal.HrAsync()).MoveAsync(id, Rejected);
        return id;
    }

    /// <summary>(due at once now, with the change; due within 30 days now, with the change) for a posting's preview line.</summary>
    private static (int, int, int, int) Counts(AngleSharp.Html.Dom.IHtmlDocument preview, Guid postingId)
    {
        var row = preview.QuerySelector($".preview-counts tbody tr[data-posting-id='{postingId}']");
        if (row is null)
            return (0, 0, 0, 0);
        int Cell(string name) => int.Parse(row.QuerySelector("." + name)!.TextContent.Trim());
        return (Cell("due-now-before"), Cell("due-now-after"), Cell("due-soon-before"), Cell("due-soon-after"));
    }
}
