using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Audit;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Rights;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>Legal holds as HR places and lifts them: audited with ids, flags recomputed, erasure held and resumed.</summary>
public sealed class HoldsTests : IAsyncLifetime
{
    private const string Reason = "Claim 2027-17 about this recruitment is pending";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory _portal;
    private Guid _postingId;

    public HoldsTests() => _portal = DeskTestKit.PortalOn(_clock);

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Data engineer");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task HR_places_a_hold_from_the_candidate_page_and_lifts_it_each_audited_with_ids_and_the_flag_follows()
    {
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, "held@example.test", "Hedda Held");
        var (_, otherId) = await _portal.ApplyAsync(_postingId, "free@example.test", "Frida Free");
        var hrId = await HrIdAsync();
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);

        var placed = await hr.SubmitAsync($"/candidates/{applicationId}", "/manage/holds",
            new Dictionary<string, string> { ["Scope"] = "Application", ["Reason"] = Reason });
        HttpAssert.Status(HttpStatusCode.Redirect, placed);
        Assert.Equal($"/candidates/{applicationId}", placed.Headers.Location!.OriginalString);

        var hold = await _portal.WithDbAsync(db => db.LegalHolds.AsNoTracking().SingleAsync());
        Assert.Equal(applicationId, hold.ApplicationId);
        Assert.Null(hold.ApplicantId);
        Assert.Equal(Reason, hold.Reason);
        Assert.Equal(hrId, hold.PlacedByUserId);
        Assert.Null(hold.EndsAt);
        Assert.True(await OnHoldAsync(applicationId));
        Assert.False(await OnHoldAsync(otherId));
        var audit = await _portal.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(a => a.Action == AuditAction.LegalHoldPlaced));
        Assert.Equal((Roles.HR, hrId, applicationId, "applications=1"), (audit.ActorRole, audit.ActorUserId, audit.ApplicationId, audit.Counts));
        Assert.NotNull(audit.ApplicantId);

        // HR and the posting's recruiter see it on the candidate page and in the list; the recruiter gets no hold form.
        var page = await hr.GetPageAsync($"/candidates/{applicationId}");
        Assert.Contains("On legal hold", page.QuerySelector("h1 .legal-hold")!.TextContent);
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.AssignAsync(_postingId, recruiter.Id);
        var staff = await _portal.SignedInAsync(recruiter.Email, recruiter.Password);
        var seen = await staff.GetPageAsync($"/candidates/{applicationId}");
        Assert.NotNull(seen.QuerySelector("h1 .legal-hold"));
        Assert.Null(seen.QuerySelector("form[action='/manage/holds']"));
        var list = await staff.GetPageAsync($"/manage/postings/{_postingId}/candidates");
        Assert.Contains("Legal hold", list.QuerySelector($"tr[data-application-id='{applicationId}']")!.TextContent);
        Assert.DoesNotContain("Legal hold", list.QuerySelector($"tr[data-application-id='{otherId}']")!.TextContent);

        // The holds page lists it as active, with its reason and the posting; lifting it moves it below.
        var holds = await hr.GetPageAsync("/manage/holds");
        var row = holds.QuerySelector($".active-holds tr[data-hold-id='{hold.Id}']")!;
        Assert.Contains(Reason, row.TextContent);
        Assert.Contains("Hedda Held", row.TextContent);
        Assert.Contains("Data engineer", row.TextContent);
        Assert.Contains("until lifted", row.TextContent);

        _clock.Advance(TimeSpan.FromMinutes(5));
        hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var lifted = await hr.SubmitAsync("/manage/holds", $"/manage/holds/{hold.Id}/lift", new Dictionary<string, string>());
        HttpAssert.Status(HttpStatusCode.Redirect, lifted);
        Assert.False(await OnHoldAsync(applicationId));
        var liftedHold = await _portal.WithDbAsync(db => db.LegalHolds.AsNoTracking().SingleAsync());
        Assert.Equal(hrId, liftedHold.LiftedByUserId);
        Assert.InRange(liftedHold.LiftedAt!.Value, _clock.GetUtcNow().AddMilliseconds(-1), _clock.GetUtcNow()); // stored to the millisecond
        var liftAudit = await _portal.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(a => a.Action == AuditAction.LegalHoldLifted));
        Assert.Equal((Roles.HR, hrId, applicationId, audit.ApplicantId), (liftAudit.ActorRole, liftAudit.ActorUserId, liftAudit.ApplicationId, liftAudit.ApplicantId));

        var after = await hr.GetPageAsync("/manage/holds");
        Assert.NotNull(after.QuerySelector(".no-active-holds"));
        Assert.Contains("lifted", after.QuerySelector($".ended-holds tr[data-hold-id='{hold.Id}']")!.TextContent);
        Assert.Null((await hr.GetPageAsync($"/candidates/{applicationId}")).QuerySelector("h1 .legal-hold"));

        // Lifting again is refused with a message and audits nothing more.
        var again = await hr.PostAsync($"/manage/holds/{hold.Id}/lift", PortalBrowser.AntiforgeryToken(after, "/manage/holds"), new Dictionary<string, string>());
        HttpAssert.Status(HttpStatusCode.Redirect, again);
        Assert.Contains("already ended", (await hr.GetPageAsync("/manage/holds")).QuerySelector(".alert-danger")!.TextContent);
        Assert.Equal(1, await _portal.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.Action == AuditAction.LegalHoldLifted)));

        // Audit rows hold ids and counts, never the reason or a name.
        Assert.False(await _portal.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Counts != null && (a.Counts.Contains("Claim") || a.Counts.Contains("Hedda")))));
    }

    [Fact]
    public async Task A_hold_on_the_applicant_placed_by_application_id_covers_all_their_applications()
    {
        var (browser, first) = await _portal.ApplyAsync(_postingId, "two@example.test");
        var otherPosting = await _portal.CreatePostingAsync("Analyst");
        var second = await ApplyAgainAsync(browser, otherPosting);
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);

        var placed = await hr.SubmitAsync("/manage/holds", "/manage/holds",
            new Dictionary<string, string> { ["ApplicationId"] = second.ToString(), ["Scope"] = "Applicant", ["Reason"] = Reason });
        HttpAssert.Status(HttpStatusCode.Redirect, placed);
        Assert.Equal("/manage/holds", placed.Headers.Location!.OriginalString);

        var hold = await _portal.WithDbAsync(db => db.LegalHolds.AsNoTracking().SingleAsync());
        Assert.Null(hold.ApplicationId);
        Assert.NotNull(hold.ApplicantId);
        Assert.True(await OnHoldAsync(first));
        Assert.True(await OnHoldAsync(second));
        Assert.Equal("applications=2", await _portal.WithDbAsync(db => db.AuditEvents
            .Where(a => a.Action == AuditAction.LegalHoldPlaced).Select(a => a.Counts).SingleAsync()));
        var row = (await hr.GetPageAsync("/manage/holds")).QuerySelector($".active-holds tr[data-hold-id='{hold.Id}']")!;
        Assert.Contains("The applicant (2 applications)", row.TextContent);
    }

    [Fact]
    public async Task A_hold_without_a_reason_with_a_too_long_one_or_ending_in_the_past_is_refused_and_an_unknown_application_is_404()
    {
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, "refused@example.test");
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var token = PortalBrowser.AntiforgeryToken(await hr.GetPageAsync("/manage/holds"), "/manage/holds");

        foreach (var (fields, message) in new (Dictionary<string, string>, string)[]
                 {
                     (new() { ["ApplicationId"] = applicationId.ToString(), ["Reason"] = "  " }, "needs a reason"),
                     (new() { ["ApplicationId"] = applicationId.ToString(), ["Reason"] = new string('x', LegalHold.ReasonMaxLength + 1) }, "at most 1000"),
                     (new() { ["ApplicationId"] = applicationId.ToString(), ["Reason"] = Reason,
                         ["EndsOn"] = _clock.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd") }, "cannot be in the past"),
                     (new() { ["ApplicationId"] = "not an id", ["Reason"] = Reason }, "Enter the id"),
                 })
        {
            HttpAssert.Status(HttpStatusCode.Redirect, await hr.PostAsync("/manage/holds", token, fields));
            Assert.Contains(message, (await hr.GetPageAsync("/manage/holds")).QuerySelector(".alert-danger")!.TextContent);
        }
        HttpAssert.Status(HttpStatusCode.NotFound, await hr.PostAsync("/manage/holds", token,
            new Dictionary<string, string> { ["ApplicationId"] = Guid.NewGuid().ToString(), ["Reason"] = Reason }));
        HttpAssert.Status(HttpStatusCode.NotFound, await hr.PostAsync($"/manage/holds/{Guid.NewGuid()}/lift", token, new Dictionary<string, string>()));

        Assert.False(await _portal.WithDbAsync(db => db.LegalHolds.AnyAsync()));
        Assert.False(await _portal.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == AuditAction.LegalHoldPlaced)));
        Assert.False(await OnHoldAsync(applicationId));
    }

    [Fact]
    public async Task An_erasure_under_a_hold_is_refused_and_once_HR_lifts_the_hold_the_reconcile_job_completes_it()
    {
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, "erase-me@example.test");
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync($"/candidates/{applicationId}", "/manage/holds",
            new Dictionary<string, string> { ["Scope"] = "Application", ["Reason"] = Reason }));

        var requestId = await _portal.FileAsync(applicationId, RequestType.Erasure);
        await WaitForStatusAsync(requestId, RequestStatus.OnHold);
        Assert.StartsWith($"Refused under Art. 17(3)(e): {Reason}.", (await _portal.RequestAsync(requestId)).Answer);
        Assert.True(await _portal.WithDbAsync(db => db.Applications.AnyAsync(a => a.Id == applicationId)));
        Assert.Single(_portal.BlobFiles());

        // Reconcile leaves it alone while the hold stands.
        await ReconcileAsync();
        Assert.Equal(RequestStatus.OnHold, (await _portal.RequestAsync(requestId)).Status);

        var holdId = await _portal.WithDbAsync(db => db.LegalHolds.Select(h => h.Id).SingleAsync());
        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync("/manage/holds", $"/manage/holds/{holdId}/lift", new Dictionary<string, string>()));
        await ReconcileAsync();
        await WaitForStatusAsync(requestId, RequestStatus.Completed);

        Assert.False(await _portal.WithDbAsync(db => db.Applications.AnyAsync(a => a.Id == applicationId)));
        Assert.False(await _portal.WithDbAsync(db => db.LegalHolds.AnyAsync()));
        Assert.Empty(_portal.BlobFiles());
    }

    [Fact]
    public async Task A_hold_with_a_last_day_ends_after_it_housekeeping_clears_the_flag_and_a_held_erasure_resumes()
    {
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, "until@example.test");
        var lastDay = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(2);
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync($"/candidates/{applicationId}", "/manage/holds",
            new Dictionary<string, string> { ["Scope"] = "Applicant", ["Reason"] = Reason, ["EndsOn"] = lastDay.ToString("yyyy-MM-dd") }));
        var hold = await _portal.WithDbAsync(db => db.LegalHolds.AsNoTracking().SingleAsync());
        Assert.Equal(new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), hold.EndsAt);
        var row = (await hr.GetPageAsync("/manage/holds")).QuerySelector($".active-holds tr[data-hold-id='{hold.Id}']")!;
        Assert.Contains(lastDay.ToString("yyyy-MM-dd"), row.TextContent);

        var requestId = await _portal.FileAsync(applicationId, RequestType.Erasure);
        await WaitForStatusAsync(requestId, RequestStatus.OnHold);

        // On its last day it still holds.
        _clock.SetUtcNow(new DateTimeOffset(lastDay.ToDateTime(new TimeOnly(23, 0)), TimeSpan.Zero));
        Assert.Equal(0, (await HousekeepingAsync())["holdsEnded"]);
        Assert.True(await OnHoldAsync(applicationId));
        await ReconcileAsync();
        Assert.Equal(RequestStatus.OnHold, (await _portal.RequestAsync(requestId)).Status);

        // The day after, it has ended: the flag is cleared and the erasure goes ahead.
        _clock.Advance(TimeSpan.FromHours(2));
        hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var holds = await hr.GetPageAsync("/manage/holds");
        Assert.NotNull(holds.QuerySelector(".no-active-holds"));
        Assert.Contains($"expired after {lastDay:yyyy-MM-dd}", holds.QuerySelector($".ended-holds tr[data-hold-id='{hold.Id}']")!.TextContent);
        Assert.Equal(1, (await HousekeepingAsync())["holdsEnded"]);
        Assert.False(await OnHoldAsync(applicationId));
        Assert.Equal(0, (await HousekeepingAsync())["holdsEnded"]);

        await ReconcileAsync();
        await WaitForStatusAsync(requestId, RequestStatus.Completed);
        Assert.False(await _portal.WithDbAsync(db => db.Applications.AnyAsync()));
    }

    private Task<bool> OnHoldAsync(Guid applicationId) =>
        _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == applicationId).Select(a => a.OnLegalHold).SingleAsync());

    private Task<Guid> HrIdAsync() =>
        _portal.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync());

    private async Task<Guid> ApplyAgainAsync(PortalBrowser browser, Guid postingId)
    {
        var url = $"/postings/{postingId}/apply";
        var fields = Portal.ApplyTests.Fields("two@example.test", password: null);
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.SubmitAsync(url, url, fields,
            [new FormFile("Cv", "cv.pdf", Recruiting.Tests.Shared.SampleFiles.Pdf(), "application/pdf")]));
        return await _portal.WithDbAsync(db => db.Applications.Where(a => a.JobPostingId == postingId).Select(a => a.Id).SingleAsync());
    }

    private async Task ReconcileAsync()
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RequestReconcileJob>().RunAsync(CancellationToken.None);
    }

    private async Task<IReadOnlyDictionary<string, int>> HousekeepingAsync()
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Housekeeping>().RunAsync(dryRun: false, CancellationToken.None);
    }

    private Task WaitForStatusAsync(Guid requestId, RequestStatus status) =>
        Wait.UntilAsync(async () => (await _portal.RequestAsync(requestId)).Status == status,
            $"the erasure to be {status}. " + _portal.Logs.Errors());
}
