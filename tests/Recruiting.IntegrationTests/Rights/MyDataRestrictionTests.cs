using System.Net;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Audit;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>Art. 18 and 21 from My data: a restricted application leaves the recruiter's sight; an objection goes to HR.</summary>
public sealed class MyDataRestrictionTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private Guid _posting;
    private PortalBrowser _desk = null!;

    public async Task InitializeAsync()
    {
        _posting = await _portal.CreatePostingAsync("Records clerk");
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.AssignAsync(_posting, recruiter.Id);
        _desk = await _portal.SignedInAsync(recruiter.Email, recruiter.Password);
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_restricted_application_vanishes_from_the_recruiters_list_and_opening_it_gives_404()
    {
        var (browser, id) = await _portal.ApplyAsync(_posting, "restrict@example.test", fullName: "Rhea Restricted");
        await _portal.ApplyAsync(_posting, "stays@example.test", fullName: "Sam Stays");
        await _portal.ConfirmEmailAsync("restrict@example.test");
        var list = $"/manage/postings/{_posting}/candidates";
        Assert.Contains("Rhea Restricted", (await _desk.GetPageAsync(list)).Body!.TextContent);

        var page = await browser.PostAndFollowAsync($"/my/applications/{id}/restrict", new() { ["Ground"] = "ContestAccuracy" });
        Assert.Contains("recruiters no longer see it", page.MessageText());
        Assert.StartsWith("Yes", page.QuerySelector($"[data-application-id='{id}'] .restricted")!.TextContent.Trim());
        Assert.Null(page.QuerySelector($"form[action='/my/applications/{id}/restrict']"));

        var listed = (await _desk.GetPageAsync(list)).Body!.TextContent;
        Assert.DoesNotContain("Rhea Restricted", listed);
        Assert.Contains("Sam Stays", listed);
        HttpAssert.Status(HttpStatusCode.NotFound, await _desk.Client.GetAsync($"/candidates/{id}"));

        var request = await _portal.WithDbAsync(db => db.Requests.SingleAsync());
        Assert.Equal((RequestType.Restriction, RequestStatus.Received, (Guid?)id), (request.Type, request.Status, request.ApplicationId));
        Assert.Equal(SelfService.ContestAccuracyDetails, request.Details);
        var actions = await _portal.WithDbAsync(db => db.AuditEvents.Where(e => e.ApplicationId == id).Select(e => e.Action).ToListAsync());
        Assert.Contains(AuditAction.RestrictionApplied, actions);
        Assert.Contains(AuditAction.RequestFiled, actions);

        // Restricting twice is refused and files nothing more.
        Assert.Contains("already restricted",
            (await browser.PostAndFollowAsync($"/my/applications/{id}/restrict", new() { ["Ground"] = "ContestAccuracy" })).ErrorText());
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Requests.CountAsync()));
    }

    [Fact]
    public async Task Another_reason_must_be_written_and_is_kept_with_the_request()
    {
        var (browser, id) = await _portal.ApplyAsync(_posting, "reason@example.test");
        await _portal.ConfirmEmailAsync("reason@example.test");

        var empty = await browser.PostAndFollowAsync($"/my/applications/{id}/restrict", new() { ["Ground"] = "Other", ["Reason"] = "  " });
        Assert.Contains("say why", empty.ErrorText());
        Assert.False(await _portal.WithDbAsync(db => db.Applications.AnyAsync(a => a.IsRestricted)));

        await browser.PostAndFollowAsync($"/my/applications/{id}/restrict",
            new() { ["Ground"] = "Other", ["Reason"] = "I need it kept for my own legal claim." });
        var request = await _portal.WithDbAsync(db => db.Requests.SingleAsync());
        Assert.Equal("Another reason: I need it kept for my own legal claim.", request.Details);
        Assert.True(await _portal.WithDbAsync(db => db.Applications.AnyAsync(a => a.Id == id && a.IsRestricted)));
    }

    [Fact]
    public async Task An_objection_goes_to_the_request_desk_and_changes_nothing_else()
    {
        var (browser, id) = await _portal.ApplyAsync(_posting, "object@example.test", fullName: "Otto Objects");
        await _portal.ConfirmEmailAsync("object@example.test");

        Assert.Contains("grounds", (await browser.PostAndFollowAsync($"/my/applications/{id}/object", new() { ["Reason"] = "" })).ErrorText());
        var page = await browser.PostAndFollowAsync($"/my/applications/{id}/object", new() { ["Reason"] = "I no longer want this processed." });
        Assert.Contains("sent to our HR team", page.MessageText());
        Assert.Contains("Objection", page.QuerySelector(".requests")!.TextContent);

        var request = await _portal.WithDbAsync(db => db.Requests.SingleAsync());
        Assert.Equal((RequestType.Objection, RequestStatus.Received, "I no longer want this processed."), (request.Type, request.Status, request.Details));
        Assert.False(await _portal.WithDbAsync(db => db.Applications.AnyAsync(a => a.IsRestricted)));
        Assert.Contains("Otto Objects", (await _desk.GetPageAsync($"/manage/postings/{_posting}/candidates")).Body!.TextContent);

        Assert.Contains("already objected",
            (await browser.PostAndFollowAsync($"/my/applications/{id}/object", new() { ["Reason"] = "Again." })).ErrorText());
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Requests.CountAsync()));
    }
}
