using System.Net;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Identity;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Workspace;

public sealed class StaffAdminTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private PortalBrowser _hr = null!;

    public async Task InitializeAsync() => _hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task HR_invites_a_recruiter_who_sets_a_password_signs_in_and_sees_the_assigned_posting()
    {
        var posting = await _portal.CreatePostingAsync("Assigned posting");
        HttpAssert.Status(HttpStatusCode.Redirect, await _hr.SubmitAsync("/admin/users", "/admin/users/invite",
            new Dictionary<string, string> { ["Email"] = "rita@staff.test", ["Role"] = Roles.Recruiter }));

        await Wait.UntilAsync(() => _portal.MailFiles().Any(f => File.ReadAllText(f).Contains("To: rita@staff.test")), "the invitation");
        var mail = _portal.MailFiles().Select(File.ReadAllText).Single(m => m.Contains("To: rita@staff.test"));
        var link = mail.Split('\n').Select(l => l.Trim()).Single(l => l.Contains("/account/set-password"))["http://localhost".Length..];
        var rita = new PortalBrowser(_portal.CreateBrowserClient());
        HttpAssert.Status(HttpStatusCode.Redirect, await rita.SubmitAsync(link, "/account/set-password",
            new Dictionary<string, string> { ["Password"] = "a long recruiter password" }));
        await rita.SignInAsync("rita@staff.test", "a long recruiter password");
        Assert.DoesNotContain("Assigned posting", (await rita.GetPageAsync("/manage/postings")).Body!.TextContent);

        var ritaId = await _portal.WithDbAsync(db => db.Users.Where(u => u.Email == "rita@staff.test").Select(u => u.Id).SingleAsync());
        HttpAssert.Status(HttpStatusCode.Redirect, await _hr.SubmitAsync($"/manage/postings/{posting}/recruiters", $"/manage/postings/{posting}/recruiters",
            new Dictionary<string, string> { ["recruiterIds"] = ritaId.ToString() }));
        Assert.Contains("Assigned posting", (await rita.GetPageAsync("/manage/postings")).Body!.TextContent);
        HttpAssert.Status(HttpStatusCode.Forbidden, await rita.Client.GetAsync("/admin/users"));
    }

    [Fact]
    public async Task An_invitation_link_works_once()
    {
        HttpAssert.Status(HttpStatusCode.Redirect, await _hr.SubmitAsync("/admin/users", "/admin/users/invite",
            new Dictionary<string, string> { ["Email"] = "once@staff.test", ["Role"] = Roles.Recruiter }));
        await Wait.UntilAsync(() => _portal.MailFiles().Any(f => File.ReadAllText(f).Contains("To: once@staff.test")), "the invitation");
        var link = _portal.MailFiles().Select(File.ReadAllText).Single(m => m.Contains("To: once@staff.test"))
            .Split('\n').Select(l => l.Trim()).Single(l => l.Contains("/account/set-password"))["http://localhost".Length..];
        var fields = new Dictionary<string, string> { ["Password"] = "first chosen password" };
        HttpAssert.Status(HttpStatusCode.Redirect, await new PortalBrowser(_portal.CreateBrowserClient()).SubmitAsync(link, "/account/set-password", fields));

        var again = await new PortalBrowser(_portal.CreateBrowserClient()).SubmitAsync(link, "/account/set-password",
            new Dictionary<string, string> { ["Password"] = "second chosen password" });
        HttpAssert.Status(HttpStatusCode.OK, again);
        Assert.Contains("wrong or has expired", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HR_changes_a_role_and_deactivates_an_account_which_ends_its_access()
    {
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        var session = await _portal.SignedInAsync(recruiter.Email, recruiter.Password);
        HttpAssert.Status(HttpStatusCode.OK, await session.Client.GetAsync("/manage/postings"));

        HttpAssert.Status(HttpStatusCode.Redirect, await _hr.SubmitAsync("/admin/users", $"/admin/users/{recruiter.Id}/role",
            new Dictionary<string, string> { ["role"] = Roles.HR }));
        Assert.Contains(Roles.HR, await _portal.WithDbAsync(db => db.UserRoles.Where(r => r.UserId == recruiter.Id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync()));

        HttpAssert.Status(HttpStatusCode.Redirect, await _hr.SubmitAsync("/admin/users", $"/admin/users/{recruiter.Id}/deactivate",
            new Dictionary<string, string>()));
        var fresh = new PortalBrowser(_portal.CreateBrowserClient());
        var login = await fresh.SubmitAsync("/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = recruiter.Email, ["Password"] = recruiter.Password });
        HttpAssert.Status(HttpStatusCode.OK, login); // refused: the form is shown again
        Assert.NotNull(await _portal.WithDbAsync(db => db.Users.Where(u => u.Id == recruiter.Id).Select(u => u.LockoutEnd).SingleAsync()));
    }

    [Fact]
    public async Task A_recruiter_who_becomes_HR_keeps_no_posting_assignments()
    {
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        var posting = await _portal.CreatePostingAsync("Posting of a promoted recruiter");
        await _portal.AssignAsync(posting, recruiter.Id);

        HttpAssert.Status(HttpStatusCode.Redirect, await _hr.SubmitAsync("/admin/users", $"/admin/users/{recruiter.Id}/role",
            new Dictionary<string, string> { ["role"] = Roles.HR }));

        Assert.False(await _portal.WithDbAsync(db => db.PostingAssignments.AnyAsync(a => a.RecruiterUserId == recruiter.Id)));
    }

    [Fact]
    public async Task HR_cannot_deactivate_or_demote_themselves()
    {
        var hrId = await _portal.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync());
        await _hr.SubmitAsync("/admin/users", $"/admin/users/{hrId}/deactivate", new Dictionary<string, string>());
        Assert.Contains("cannot deactivate your own account", (await _hr.GetPageAsync("/admin/users")).QuerySelector(".alert-danger")!.TextContent);
        Assert.Null(await _portal.WithDbAsync(db => db.Users.Where(u => u.Id == hrId).Select(u => u.LockoutEnd).SingleAsync()));
    }
}

public sealed class StaffRoleRulesTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public StaffRoleRulesTests(PortalFactory portal) => _portal = portal;

    [Fact]
    public async Task A_jobseeker_account_cannot_be_made_staff()
    {
        var posting = await _portal.CreatePostingAsync();
        var (_, applicationId) = await _portal.ApplyAsync(posting, "wants-in@example.test");
        var userId = await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == applicationId).Select(a => a.Applicant.UserId).SingleAsync());
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var token = PortalBrowser.AntiforgeryToken(await hr.GetPageAsync("/admin/users"), "/admin/users/invite");

        await hr.PostAsync($"/admin/users/{userId}/role", token, new Dictionary<string, string> { ["role"] = Roles.HR });

        Assert.Contains("cannot become a staff account", (await hr.GetPageAsync("/admin/users")).QuerySelector(".alert-danger")!.TextContent);
        var roles = await _portal.WithDbAsync(db => db.UserRoles.Where(r => r.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync());
        Assert.Equal([Roles.Jobseeker], roles);
    }
}
