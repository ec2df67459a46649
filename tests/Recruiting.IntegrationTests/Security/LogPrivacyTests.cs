using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Portal;
using Recruiting.IntegrationTests.Rights;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Security;

/// <summary>
/// The main flows, with a unique marker in every personal field (file names and the password
/// included), leave it in no log line: not in a message, a structured value, a scope or an exception, with every
/// category at Trace (below Debug), ASP.NET Core, EF Core and Hangfire included. AuditTests searches audit rows and Information-level logs of the
/// request desk's every outcome; this test covers the rest of the portal, at the level an operator turns on to debug.
/// </summary>
public sealed class LogPrivacyTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();

    // A marker no id can contain (ids are hex); the phone and the staff member carry their own.
    private readonly string _marker = "Zq" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _phoneDigits = "9" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999);
    private readonly string _newPhoneDigits = "8" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999);

    public LogPrivacyTests()
    {
        _portal.Logs.MinimumLevel = LogLevel.Trace;
        // appsettings.json quietens these categories; here every one speaks at its most verbose.
        foreach (var category in new[] { "Default", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore.Database.Command", "Hangfire" })
            _portal.Settings[$"Logging:LogLevel:{category}"] = "Trace";
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_main_flows_leave_no_personal_data_in_any_log_line_at_trace_level()
    {
        var email = $"{_marker}@example.test";
        var password = $"pass {_marker} phrase";
        var first = await _portal.CreatePostingAsync("Log posting one");
        var second = await _portal.CreatePostingAsync("Log posting two");
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.AssignAsync(first, recruiter.Id);
        await _portal.AssignAsync(second, recruiter.Id);

        // Apply as a new visitor, every field and both file names marked; then confirm the address from the mail.
        var jobseeker = new PortalBrowser(_portal.CreateBrowserClient());
        var fields = new Dictionary<string, string>(ApplyTests.Fields(email, password))
        {
            ["FullName"] = $"Ada {_marker}", ["Phone"] = $"+47 {_phoneDigits}", ["Address"] = $"{_marker} street 1, Oslo",
            ["CoverLetter"] = $"Cover letter of {_marker}.", ["KeepForFutureOpenings"] = "true",
        };
        HttpAssert.Status(HttpStatusCode.Redirect, await jobseeker.ApplyWithAsync(first, fields,
            new FormFile("Cv", $"{_marker} CV.pdf", SampleFiles.Pdf(), "application/pdf"),
            new FormFile("FurtherDocuments", $"{_marker} references.docx", SampleFiles.Docx())));
        HttpAssert.Redirect("/my/applications", await jobseeker.ConfirmFromLinkAsync(await LinkFromMailAsync(email, "/account/confirm-email"), password));

        // Sign out, a wrong password, then sign in; apply for the second posting signed in.
        await jobseeker.SubmitAsync("/my/data", "/account/logout", new Dictionary<string, string>());
        var wrong = await jobseeker.SubmitAsync("/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = email, ["Password"] = $"wrong {_marker} guess" });
        HttpAssert.Status(HttpStatusCode.OK, wrong);
        await jobseeker.SignInAsync(email, password);
        HttpAssert.Status(HttpStatusCode.Redirect, await jobseeker.ApplyWithAsync(second,
            new Dictionary<string, string>(ApplyTests.Fields(email, password: null))
            {
                ["FullName"] = $"Ada {_marker}", ["Phone"] = $"+47 {_phoneDigits}", ["CoverLetter"] = $"Second letter of {_marker}.",
            }));
        var applications = await _portal.WithDbAsync(db => db.Applications.OrderBy(a => a.JobPosting.Title).Select(a => a.Id).ToListAsync());
        Assert.Equal(2, applications.Count);

        // My data: view, correct the profile, replace a CV.
        await jobseeker.GetPageAsync("/my/data");
        await jobseeker.GetPageAsync("/my/applications");
        await jobseeker.GetPageAsync("/my/data/profile");
        HttpAssert.Status(HttpStatusCode.Redirect, await jobseeker.SubmitAsync("/my/data/profile", "/my/data/profile",
            new Dictionary<string, string>
            {
                ["FullName"] = $"Ada {_marker} Lovelace", ["Email"] = email, ["Phone"] = $"+47 {_newPhoneDigits}",
                ["Address"] = $"{_marker} road 2, Bergen",
            }));
        Assert.Null((await jobseeker.PostAndFollowAsync($"/my/applications/{applications[0]}/cv",
            files: [new FormFile("cv", $"{_marker} new CV.pdf", SampleFiles.Pdf())])).ErrorText());

        // The recruiter: list (and search by name), open, download, note, move.
        var desk = await _portal.SignedInAsync(recruiter.Email, recruiter.Password);
        var list = $"/manage/postings/{first}/candidates";
        await desk.GetPageAsync(list);
        await desk.GetPageAsync($"{list}?q={Uri.EscapeDataString($"Ada {_marker}")}");
        var candidate = $"/candidates/{applications[0]}";
        var page = await desk.GetPageAsync(candidate);
        var cv = page.QuerySelectorAll<AngleSharp.Html.Dom.IHtmlAnchorElement>($"a[href^='{candidate}/documents/']").First().GetAttribute("href")!;
        HttpAssert.Status(HttpStatusCode.OK, await desk.Client.GetAsync(cv));
        HttpAssert.Status(HttpStatusCode.Redirect, await desk.SubmitAsync(candidate, $"{candidate}/notes",
            new Dictionary<string, string> { ["Text"] = $"{_marker} answered every question." }));
        HttpAssert.Status(HttpStatusCode.Redirect, await desk.SubmitAsync(candidate, $"{candidate}/status",
            new Dictionary<string, string> { ["status"] = "Interview" }));

        // Restriction and objection from My data; a copy of the data.
        Assert.Null((await jobseeker.PostAndFollowAsync($"/my/applications/{applications[1]}/restrict",
            new() { ["Ground"] = "Other", ["Reason"] = $"{_marker} wants a pause." })).ErrorText());
        Assert.Null((await jobseeker.PostAndFollowAsync($"/my/applications/{applications[0]}/object",
            new() { ["Reason"] = $"{_marker} objects." })).ErrorText());
        HttpAssert.Status(HttpStatusCode.Redirect, await jobseeker.PostFromMyDataAsync("/my/data/access"));
        var access = await RequestOfAsync(RequestType.Access);
        await UntilCompletedAsync(access, "the export");
        HttpAssert.Status(HttpStatusCode.OK, await jobseeker.Client.GetAsync($"/my/data/exports/{access}"));

        // HR: invites a recruiter (their address is personal data too), answers the objection, lifts the restriction.
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var staffEmail = $"rita-{_marker}@staff.test";
        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync("/admin/users", "/admin/users/invite",
            new Dictionary<string, string> { ["Email"] = staffEmail, ["Role"] = Roles.Recruiter }));
        var invitation = await LinkFromMailAsync(staffEmail, "/account/set-password");
        HttpAssert.Status(HttpStatusCode.Redirect, await new PortalBrowser(_portal.CreateBrowserClient()).SubmitAsync(invitation,
            "/account/set-password", new Dictionary<string, string> { ["Password"] = $"staff {_marker} password" }));
        await hr.GetPageAsync("/admin/users");
        await hr.GetPageAsync("/manage/requests");
        var objection = await RequestOfAsync(RequestType.Objection);
        var restriction = await RequestOfAsync(RequestType.Restriction);
        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync($"/manage/requests/{objection}", $"/manage/requests/{objection}/answer",
            new Dictionary<string, string> { ["Outcome"] = "Complete", ["Answer"] = $"Dear {_marker}, your objection is upheld." }));
        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync($"/manage/requests/{restriction}",
            $"/manage/requests/{restriction}/lift-restriction", new Dictionary<string, string>()));
        await hr.GetPageAsync("/manage/audit");

        // Erasure with the password; the job carries it out.
        HttpAssert.Status(HttpStatusCode.Redirect, await jobseeker.SubmitAsync("/my/data/delete", "/my/data/delete",
            new Dictionary<string, string> { ["Password"] = password }));
        await UntilCompletedAsync(await RequestOfAsync(RequestType.Erasure), "the erasure");
        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Notifications.AllAsync(n => n.SentAt != null)),
            "every mail to be sent. " + _portal.Logs.Errors());

        // The capture ran at Trace, for the framework's categories too: else finding nothing would prove little.
        var entries = _portal.Logs.Entries.ToList();
        Assert.Contains(entries, e => e.Level == LogLevel.Trace && e.Category.StartsWith("Microsoft."));
        Assert.Contains(entries, e => e.Level == LogLevel.Debug && e.Category.StartsWith("Microsoft.EntityFrameworkCore.Database.Command"));
        Assert.Contains(entries, e => e.Level == LogLevel.Debug && e.Category.StartsWith("Microsoft.AspNetCore"));
        Assert.Contains(entries, e => e.Category.StartsWith("Recruiting."));

        var lines = entries.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}").Concat(_portal.Logs.Structured).ToList();
        foreach (var (what, secret) in new[] { ("marker", _marker), ("phone", _phoneDigits), ("new phone", _newPhoneDigits) })
        {
            var leaks = lines.Where(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase)).Distinct().Take(5).ToList();
            Assert.True(leaks.Count == 0, $"The {what} is in {leaks.Count} log lines, e.g.:\n" + string.Join("\n", leaks));
        }
    }

    private Task<Guid> RequestOfAsync(RequestType type) =>
        _portal.WithDbAsync(db => db.Requests.Where(r => r.Type == type).Select(r => r.Id).SingleAsync());

    private Task UntilCompletedAsync(Guid request, string what) =>
        Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Requests.AnyAsync(r => r.Id == request && r.Status == RequestStatus.Completed)),
            what + " to complete. " + _portal.Logs.Errors());

    /// <summary>The site-relative link starting with <paramref name="path"/> in the mail sent to <paramref name="to"/>.</summary>
    private async Task<string> LinkFromMailAsync(string to, string path)
    {
        string? link = null;
        await Wait.UntilAsync(() =>
        {
            link = _portal.MailFiles().Select(File.ReadAllText).Where(m => m.Contains($"To: {to}", StringComparison.OrdinalIgnoreCase))
                .SelectMany(m => m.Split('\n')).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("http://localhost" + path));
            return link is not null;
        }, $"the mail with {path}");
        return link!["http://localhost".Length..];
    }
}
