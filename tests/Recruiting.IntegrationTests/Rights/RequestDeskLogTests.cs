using System.Net;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Audit;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>HR logs requests that arrived by email, phone or post, and the portal carries them out like its own.</summary>
public sealed class RequestDeskLogTests : IAsyncLifetime
{
    private const string LogUrl = "/manage/requests/log";
    private readonly PortalFactory _portal = new();
    private Guid _posting;

    public async Task InitializeAsync() => _posting = await _portal.CreatePostingAsync("Controller");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static Dictionary<string, string> Form(string email, string type, string channel, DateOnly received, string verification) => new()
    {
        ["ApplicantEmail"] = email, ["Type"] = type, ["Channel"] = channel, ["Received"] = received.ToString("yyyy-MM-dd"),
        ["IdentityVerification"] = verification,
    };

    private static async Task<string?> RefusalAsync(PortalBrowser hr, Dictionary<string, string> form)
    {
        var response = await hr.SubmitAsync(LogUrl, LogUrl, form);
        HttpAssert.Status(HttpStatusCode.OK, response);
        return (await PortalBrowser.ParseAsync(response)).QuerySelector(".alert-danger")?.TextContent;
    }

    [Fact]
    public async Task HR_logs_a_phone_erasure_request_that_the_erasure_job_carries_out()
    {
        var (_, applicationId) = await _portal.ApplyAsync(_posting, "caller@example.test", fullName: "Carl Caller");
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        Assert.NotNull((await hr.GetPageAsync("/manage/requests")).QuerySelector($"a.log-request[href='{LogUrl}']"));
        const string verification = "Called back on the phone number in the application; they named the position and the date they applied.";
        var received = Today.AddDays(-3);

        Assert.Contains("No applicant has exactly this email address",
            await RefusalAsync(hr, Form("someone-else@example.test", "Erasure", "Phone", received, verification)));
        Assert.Contains("cannot be in the future",
            await RefusalAsync(hr, Form("caller@example.test", "Erasure", "Phone", Today.AddDays(1), verification)));
        Assert.Contains("how you verified",
            await RefusalAsync(hr, Form("caller@example.test", "Erasure", "Phone", received, "  ")));
        Assert.Contains("filed by the portal itself",
            await RefusalAsync(hr, Form("caller@example.test", "Erasure", "Portal", received, verification)));
        Assert.False(await _portal.WithDbAsync(db => db.Requests.AnyAsync()));

        // A link they asked for on the contact page and never opened keeps their address until it expires; erasure takes it too.
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        HttpAssert.Redirect("/privacy/contact/request/sent", await visitor.SubmitAsync("/privacy/contact", "/privacy/contact/request",
            new Dictionary<string, string> { ["Email"] = "caller@example.test", ["Type"] = "Access" }));
        Assert.True(await _portal.WithDbAsync(db => db.VisitorRequests.AnyAsync()));

        var logged = await hr.SubmitAsync(LogUrl, LogUrl, Form(" Caller@Example.test ", "Erasure", "Phone", received, verification));
        HttpAssert.Status(HttpStatusCode.Redirect, logged);
        var request = await _portal.WithDbAsync(db => db.Requests.AsNoTracking().SingleAsync());
        Assert.Equal($"/manage/requests/{request.Id}", logged.Headers.Location!.OriginalString);
        Assert.Equal(RequestType.Erasure, request.Type);
        Assert.Equal(RequestChannel.Phone, request.Channel);
        Assert.Equal(verification, request.IdentityVerification);
        var receivedAt = new DateTimeOffset(received.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(receivedAt, request.ReceivedAt);
        Assert.Equal(receivedAt.AddMonths(1), request.DueAt);
        Assert.True(await _portal.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.RequestId == request.Id
            && e.Action == AuditAction.RequestFiled && e.ActorRole == Roles.HR)));

        // The same job as a portal erasure carries it out: the applicant and their application are gone, the request is the tombstone.
        await Wait.UntilAsync(async () => (await _portal.RequestAsync(request.Id)).Status == RequestStatus.Completed,
            "the erasure job to complete the request. " + _portal.Logs.Errors());
        Assert.False(await _portal.WithDbAsync(db => db.Applications.AnyAsync(a => a.Id == applicationId)));
        Assert.False(await _portal.WithDbAsync(db => db.Applicants.AnyAsync()));
        Assert.False(await _portal.WithDbAsync(db => db.VisitorRequests.AnyAsync()));
        var tombstone = await _portal.RequestAsync(request.Id);
        Assert.Null(tombstone.ApplicantId);
        Assert.Null(tombstone.IdentityVerification); // erased with the rest: it may name the person
        Assert.Equal(RequestChannel.Phone, tombstone.Channel);

        var row = (await hr.GetPageAsync("/manage/requests")).QuerySelector($"tr[data-request-id='{request.Id}']")!;
        Assert.Equal("Phone", row.QuerySelector(".request-channel")!.TextContent.Trim());
        Assert.Equal("Phone", (await hr.GetPageAsync($"/manage/requests/{request.Id}")).QuerySelector(".request-channel")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_logged_request_shows_its_channel_and_verification_and_waits_for_HRs_answer()
    {
        var (jobseeker, _) = await _portal.ApplyAsync(_posting, "letter@example.test");
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        const string verification = "Signed letter; signature matches the one on the CV.";
        HttpAssert.Status(HttpStatusCode.Redirect,
            await hr.SubmitAsync(LogUrl, LogUrl, Form("letter@example.test", "Rectification", "Post", Today, verification)));
        var request = await _portal.WithDbAsync(db => db.Requests.AsNoTracking().SingleAsync());
        Assert.Equal(RequestStatus.Received, request.Status); // answered by HR, like a rectification made in the portal

        var details = await hr.GetPageAsync($"/manage/requests/{request.Id}");
        Assert.Equal("Post", details.QuerySelector(".request-channel")!.TextContent.Trim());
        Assert.Equal(verification, details.QuerySelector(".identity-verification")!.TextContent.Trim());
        Assert.Contains("letter@example.test", details.QuerySelector(".contact")!.TextContent);
        Assert.NotNull(details.QuerySelector("form[action$='/answer']"));

        // Only HR logs requests.
        HttpAssert.Status(HttpStatusCode.Forbidden, await jobseeker.Client.GetAsync(LogUrl));
    }
}
