using System.Net;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Identity;
using Recruiting.Core.Review;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Workspace;

public sealed class RecruiterWorkspaceTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private Guid _mine, _theirs;
    private (Guid Id, string Email, string Password) _recruiter;
    private PortalBrowser _desk = null!;

    public async Task InitializeAsync()
    {
        _mine = await _portal.CreatePostingAsync("My posting");
        _theirs = await _portal.CreatePostingAsync("Their posting");
        _recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.AssignAsync(_mine, _recruiter.Id);
        _desk = await _portal.SignedInAsync(_recruiter.Email, _recruiter.Password);
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private Task<JobApplication> LoadAsync(Guid id) => _portal.WithDbAsync(db => db.Applications.SingleAsync(a => a.Id == id));

    private Task<HttpResponseMessage> PostAsync(string pageUrl, string action, Dictionary<string, string>? fields = null) =>
        _desk.SubmitAsync(pageUrl, action, fields ?? new Dictionary<string, string>());

    [Fact]
    public async Task A_recruiter_sees_only_their_postings_and_their_candidates()
    {
        var (_, mineId) = await _portal.ApplyAsync(_mine, "mine@example.test");
        var (_, theirsId) = await _portal.ApplyAsync(_theirs, "theirs@example.test");

        var postings = (await _desk.GetPageAsync("/manage/postings")).Body!.TextContent;
        Assert.Contains("My posting", postings);
        Assert.DoesNotContain("Their posting", postings);

        HttpAssert.Status(HttpStatusCode.OK, await _desk.Client.GetAsync($"/candidates/{mineId}"));
        HttpAssert.Status(HttpStatusCode.NotFound, await _desk.Client.GetAsync($"/candidates/{theirsId}"));
        HttpAssert.Status(HttpStatusCode.NotFound, await _desk.Client.GetAsync($"/manage/postings/{_theirs}/candidates"));
        HttpAssert.Status(HttpStatusCode.NotFound, await _desk.Client.GetAsync($"/manage/postings/{_theirs}/edit"));

        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        HttpAssert.Status(HttpStatusCode.OK, await hr.Client.GetAsync($"/candidates/{theirsId}"));
    }

    [Fact]
    public async Task The_candidate_list_filters_searches_sorts_pages_and_hides_restricted_applications()
    {
        for (var i = 1; i <= 27; i++)
            await _portal.ApplyAsync(_mine, $"person{i:00}@example.test", fullName: $"Person {i:00}");
        var (_, restricted) = await _portal.ApplyAsync(_mine, "hidden@example.test", fullName: "Hidden Person");
        await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == restricted)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.IsRestricted, true)));
        var (_, screened) = await _portal.ApplyAsync(_mine, "screened@example.test", fullName: "Screened Person");
        await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == screened)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, ApplicationStatus.Screening)));
        var list = $"/manage/postings/{_mine}/candidates";

        var first = await _desk.GetPageAsync(list);
        Assert.Contains("28 candidates", first.Body!.TextContent);
        Assert.Equal(CandidateQuery.PageSize, first.QuerySelectorAll("tr[data-application-id]").Length);
        Assert.Contains("Screened Person", first.QuerySelector("tr[data-application-id]")!.TextContent); // newest first
        Assert.DoesNotContain("Hidden Person", first.Body.TextContent);

        var second = await _desk.GetPageAsync(list + "?page=2");
        Assert.Equal(3, second.QuerySelectorAll("tr[data-application-id]").Length);
        var oldest = await _desk.GetPageAsync(list + "?sort=oldest");
        Assert.Contains("Person 01", oldest.QuerySelector("tr[data-application-id]")!.TextContent);

        var byEmail = await _desk.GetPageAsync(list + "?q=PERSON07@EXAMPLE.TEST");
        Assert.Contains("Person 07", Assert.Single(byEmail.QuerySelectorAll("tr[data-application-id]")).TextContent);
        var byName = await _desk.GetPageAsync(list + "?q=son 1");
        Assert.Equal(10, byName.QuerySelectorAll("tr[data-application-id]").Length); // Person 10..19
        // Shorter than a trigram: answered without the name index, with the same meaning.
        var byShort = await _desk.GetPageAsync(list + "?q=07");
        Assert.Contains("Person 07", Assert.Single(byShort.QuerySelectorAll("tr[data-application-id]")).TextContent);
        var byStatus = await _desk.GetPageAsync(list + "?status=Screening");
        Assert.Contains("Screened Person", Assert.Single(byStatus.QuerySelectorAll("tr[data-application-id]")).TextContent);
        HttpAssert.Status(HttpStatusCode.NotFound, await _desk.Client.GetAsync($"/candidates/{restricted}"));
    }

    [Fact]
    public async Task The_pipeline_moves_step_by_step_records_decisions_and_mails_a_rejection()
    {
        var (_, id) = await _portal.ApplyAsync(_mine, "pipeline@example.test");
        var page = $"/candidates/{id}";

        HttpAssert.Status(HttpStatusCode.Redirect, await PostAsync(page, $"/candidates/{id}/status", new() { ["status"] = "Interview" }));
        Assert.Contains("can move only to Screening or Rejected", (await _desk.GetPageAsync(page)).QuerySelector(".alert-danger")!.TextContent);
        Assert.Equal(ApplicationStatus.Received, (await LoadAsync(id)).Status);

        foreach (var next in new[] { "Screening", "Interview", "Offer", "Hired" })
            HttpAssert.Status(HttpStatusCode.Redirect, await PostAsync(page, $"/candidates/{id}/status", new() { ["status"] = next }));
        var hired = await LoadAsync(id);
        Assert.Equal(ApplicationStatus.Hired, hired.Status);
        Assert.NotNull(hired.DecisionAt);

        // The page offers no status form any more; a hand-made post is refused all the same.
        var token = PortalBrowser.AntiforgeryToken(await _desk.GetPageAsync(page), $"/candidates/{id}/notes");
        await _desk.PostAsync($"/candidates/{id}/status", token, new Dictionary<string, string> { ["status"] = "Screening" });
        Assert.Contains("can no longer change", (await _desk.GetPageAsync(page)).QuerySelector(".alert-danger")!.TextContent);
        Assert.Equal(ApplicationStatus.Hired, (await LoadAsync(id)).Status);

        var (_, rejectedId) = await _portal.ApplyAsync(_mine, "rejected@example.test", fullName: "Rita Rejected");
        await PostAsync($"/candidates/{rejectedId}", $"/candidates/{rejectedId}/status", new() { ["status"] = "Rejected" });
        var rejected = await LoadAsync(rejectedId);
        Assert.Equal(ApplicationStatus.Rejected, rejected.Status);
        Assert.NotNull(rejected.DecisionAt);
        await Wait.UntilAsync(() => _portal.MailFiles().Select(File.ReadAllText)
            .Any(m => m.Contains("Subject: About your application") && m.Contains("To: rejected@example.test")),
            "the rejection mail. " + _portal.Logs.Errors(Microsoft.Extensions.Logging.LogLevel.Warning));
    }

    [Fact]
    public async Task Recruiters_write_notes_and_edit_or_delete_only_their_own()
    {
        var (_, id) = await _portal.ApplyAsync(_mine, "notes@example.test");
        var page = $"/candidates/{id}";
        HttpAssert.Status(HttpStatusCode.Redirect, await PostAsync(page, $"/candidates/{id}/notes", new() { ["Text"] = "Strong SQL." }));
        var note = await _portal.WithDbAsync(db => db.Notes.SingleAsync());
        Assert.Equal(_recruiter.Id, note.AuthorUserId);
        Assert.Contains(_recruiter.Email, (await _desk.GetPageAsync(page)).QuerySelector($"[data-note-id='{note.Id}']")!.TextContent);

        await PostAsync(page, $"/candidates/{id}/notes", new() { ["Text"] = "   " });
        Assert.Contains("cannot be empty", (await _desk.GetPageAsync(page)).QuerySelector(".alert-danger")!.TextContent);
        await PostAsync(page, $"/candidates/{id}/notes", new() { ["Text"] = new string('x', RecruiterNote.TextMaxLength + 1) });
        Assert.Contains("at most 4000 characters", (await _desk.GetPageAsync(page)).QuerySelector(".alert-danger")!.TextContent);
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Notes.CountAsync()));

        HttpAssert.Status(HttpStatusCode.Redirect, await PostAsync(page, $"/candidates/{id}/notes/{note.Id}/edit", new() { ["Text"] = "Strong SQL and C#." }));
        var edited = await _portal.WithDbAsync(db => db.Notes.SingleAsync());
        Assert.Equal("Strong SQL and C#.", edited.Text);
        Assert.NotNull(edited.EditedAt);

        var colleague = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.AssignAsync(_mine, colleague.Id);
        var other = await _portal.SignedInAsync(colleague.Email, colleague.Password);
        var token = PortalBrowser.AntiforgeryToken(await other.GetPageAsync(page), $"/candidates/{id}/notes");
        HttpAssert.Status(HttpStatusCode.NotFound, await other.PostAsync($"/candidates/{id}/notes/{note.Id}/edit", token, new Dictionary<string, string> { ["Text"] = "mine now" }));
        HttpAssert.Status(HttpStatusCode.NotFound, await other.PostAsync($"/candidates/{id}/notes/{note.Id}/delete", token, new Dictionary<string, string>()));
        Assert.Null((await other.GetPageAsync(page)).QuerySelector($"form[action='/candidates/{id}/notes/{note.Id}/edit']"));

        HttpAssert.Status(HttpStatusCode.Redirect, await PostAsync(page, $"/candidates/{id}/notes/{note.Id}/delete"));
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Notes.CountAsync()));
    }

    [Fact]
    public async Task Every_view_and_download_is_logged_with_ids_and_the_applicant_sees_who_looked()
    {
        var (applicant, id) = await _portal.ApplyAsync(_mine, "watched@example.test");
        var page = await _desk.GetPageAsync($"/candidates/{id}");
        var cvLink = page.QuerySelector($"a[href^='/candidates/{id}/documents/']")!.GetAttribute("href")!;
        var download = await _desk.Client.GetAsync(cvLink);
        HttpAssert.Status(HttpStatusCode.OK, download);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        await hr.GetPageAsync($"/candidates/{id}");

        var log = await _portal.WithDbAsync(db => db.AccessLog.OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(3, log.Count);
        Assert.All(log, e => Assert.Equal(id, e.ApplicationId));
        Assert.Equal((_recruiter.Id, Roles.Recruiter, AccessAction.ViewedApplication), (log[0].ActorUserId, log[0].ActorRole, log[0].Action));
        Assert.Equal((AccessAction.DownloadedDocument, DocumentKind.Cv), (log[1].Action, log[1].DocumentKind));
        Assert.Equal(Roles.HR, log[2].ActorRole);

        var mine = await applicant.GetPageAsync("/my/applications");
        var lines = mine.QuerySelectorAll($"[data-access-log-for='{id}'] .access-log li").Select(l => l.TextContent).ToList();
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("HR viewed your application on ", lines[0]);
        Assert.StartsWith("A recruiter downloaded your CV on ", lines[1]);
        Assert.StartsWith("A recruiter viewed your application on ", lines[2]);
        Assert.DoesNotContain(_recruiter.Email, mine.Body!.TextContent); // roles, not who by name
    }

    [Fact]
    public async Task An_applicant_withdraws_from_my_applications_once()
    {
        var (applicant, id) = await _portal.ApplyAsync(_mine, "leaving@example.test");
        HttpAssert.Status(HttpStatusCode.Redirect, await applicant.SubmitAsync("/my/applications", $"/my/applications/{id}/withdraw", new Dictionary<string, string>()));
        var withdrawn = await LoadAsync(id);
        Assert.Equal(ApplicationStatus.Withdrawn, withdrawn.Status);
        Assert.NotNull(withdrawn.WithdrawnAt);
        var mine = await applicant.GetPageAsync("/my/applications");
        Assert.Equal("Withdrawn", mine.QuerySelector(".application-status")!.TextContent.Trim());
        Assert.Null(mine.QuerySelector($"form[action='/my/applications/{id}/withdraw']"));

        // Someone else's application cannot be withdrawn by guessing its id.
        var (other, _) = await _portal.ApplyAsync(_mine, "other@example.test");
        var (_, third) = await _portal.ApplyAsync(_mine, "third@example.test");
        var token = PortalBrowser.AntiforgeryToken(await other.GetPageAsync("/my/applications"), "/account/logout");
        HttpAssert.Status(HttpStatusCode.NotFound, await other.PostAsync($"/my/applications/{third}/withdraw", token, new Dictionary<string, string>()));
        Assert.Equal(ApplicationStatus.Received, (await LoadAsync(third)).Status);
    }
}
