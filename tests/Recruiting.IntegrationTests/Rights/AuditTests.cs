using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Portal;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>
/// Every request state change is audited with ids, the actor's role, the time and counts, and
/// neither the audit records nor the logs hold any of the applicant's data.
/// </summary>
public sealed class AuditTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Requests_of_every_type_and_HRs_answers_leave_no_trace_of_the_applicant_in_audit_records_or_logs()
    {
        // A marker no id can contain (ids are hex), in every field the applicant fills in and every text about them.
        var marker = "Zq" + Guid.NewGuid().ToString("N")[..12];
        var phoneDigits = "9" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999);
        var email = $"{marker}@example.test";
        var first = await _portal.CreatePostingAsync("Audit posting one");
        var second = await _portal.CreatePostingAsync("Audit posting two");

        var jobseeker = new PortalBrowser(_portal.CreateBrowserClient());
        var fields = new Dictionary<string, string>(ApplyTests.Fields(email))
        {
            ["FullName"] = $"Ada {marker}", ["Phone"] = $"+47 {phoneDigits}", ["Address"] = $"{marker} street 1, Oslo",
            ["CoverLetter"] = $"Cover letter of {marker}.",
        };
        foreach (var posting in new[] { first, second })
        {
            var url = $"/postings/{posting}/apply";
            HttpAssert.Status(HttpStatusCode.Redirect, await jobseeker.SubmitAsync(url, url,
                posting == first ? fields : fields.Where(f => f.Key != "Password").ToDictionary(),
                [new FormFile("Cv", $"{marker}.pdf", SampleFiles.Pdf(), "application/pdf")]));
            if (posting == first)
                HttpAssert.Redirect("/my/applications", await _portal.FollowConfirmationLinkAsync(jobseeker, email));
        }
        var applications = await _portal.WithDbAsync(db => db.Applications.OrderBy(a => a.JobPosting.Title).Select(a => a.Id).ToListAsync());
        Assert.Equal(2, applications.Count);
        Assert.Equal($"Ada {marker}", await _portal.WithDbAsync(db => db.Applicants.Select(a => a.FullName).SingleAsync()));
        Assert.Equal(phoneDigits, await _portal.WithDbAsync(db => db.Applicants.Select(a => a.Phone.Replace("+47 ", "")).SingleAsync()));

        // Question through the contact form; the others as the jobseeker's pages file them.
        const string contact = "/privacy/contact";
        HttpAssert.Status(HttpStatusCode.Redirect, await jobseeker.SubmitAsync(contact, contact,
            new Dictionary<string, string> { ["Message"] = $"Question from {marker}, phone {phoneDigits}." }));
        var question = await _portal.WithDbAsync(db => db.Requests.Where(r => r.Type == RequestType.Question).Select(r => r.Id).SingleAsync());
        var restriction = await _portal.FileAsync(applications[0], RequestType.Restriction, $"I contest my data, {marker}.");
        var objection = await _portal.FileAsync(applications[1], RequestType.Objection, $"I object, {marker}.");
        var rectification = await _portal.FileAsync(applications[0], RequestType.Rectification, $"Correct my name to {marker}.");
        var refusedQuestion = await _portal.FileAsync(applications[1], RequestType.Question, $"Another question, {marker}.");

        // HR answers them all; HR's own words mention the applicant too.
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        async Task HrPostAsync(Guid request, string action, Dictionary<string, string> form)
        {
            var page = $"/manage/requests/{request}";
            var response = await hr.PostAsync($"{page}/{action}",
                PortalBrowser.AntiforgeryToken(await hr.GetPageAsync(page), "/account/logout"), form);
            HttpAssert.Status(HttpStatusCode.Redirect, response);
            Assert.Null((await hr.GetPageAsync(page)).QuerySelector(".alert-danger"));
        }
        var later = DateTime.UtcNow.AddMonths(2).ToString("yyyy-MM-dd");
        await HrPostAsync(question, "extend", new() { ["NewDueDate"] = later, ["Reason"] = $"Records of {marker} are archived." });
        await HrPostAsync(question, "answer", new() { ["Outcome"] = "Complete", ["Answer"] = $"Dear {marker}, recruiters see it." });
        await HrPostAsync(refusedQuestion, "answer", new() { ["Outcome"] = "Refuse", ["Answer"] = $"{marker}: not about your data." });
        await HrPostAsync(rectification, "answer", new() { ["Outcome"] = "Refuse", ["Answer"] = $"Your name {marker} is right." });
        await HrPostAsync(objection, "answer", new() { ["Outcome"] = "Complete", ["Answer"] = $"Upheld, {marker}." });
        await HrPostAsync(restriction, "lift-restriction", []);
        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Notifications.AllAsync(n => n.SentAt != null)),
            "every mail to be sent. " + _portal.Logs.Errors());
        Assert.False(await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == applications[0]).Select(a => a.IsRestricted).SingleAsync()));
        foreach (var request in new[] { question, restriction, objection, rectification, refusedQuestion })
            await hr.GetPageAsync($"/manage/requests/{request}");
        await hr.GetPageAsync("/manage/audit");

        // Access: the jobseeker downloads their data; the job builds the ZIP and they fetch it.
        HttpAssert.Status(HttpStatusCode.Redirect, await jobseeker.PostFromMyDataAsync("/my/data/access"));
        var access = await _portal.WithDbAsync(db => db.Requests.Where(r => r.Type == RequestType.Access).Select(r => r.Id).SingleAsync());
        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Requests.AnyAsync(r => r.Id == access && r.Status == RequestStatus.Completed)),
            "the export to complete. " + _portal.Logs.Errors());
        using (var zip = await jobseeker.Client.GetAsync($"/my/data/exports/{access}"))
        {
            HttpAssert.Status(HttpStatusCode.OK, zip);
            Assert.True((await zip.Content.ReadAsByteArrayAsync()).Length > 0);
        }

        // Erasure: "Delete my data" with the password; the job erases them and leaves the tombstone.
        HttpAssert.Status(HttpStatusCode.Redirect, await jobseeker.SubmitAsync("/my/data/delete", "/my/data/delete",
            new Dictionary<string, string> { ["Password"] = fields["Password"] }));
        var erasure = await _portal.WithDbAsync(db => db.Requests.Where(r => r.Type == RequestType.Erasure).Select(r => r.Id).SingleAsync());
        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Requests.AnyAsync(r => r.Id == erasure && r.Status == RequestStatus.Completed)),
            "the erasure to complete. " + _portal.Logs.Errors());

        var actions = await _portal.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync());
        foreach (var expected in new[]
                 {
                     AuditAction.RequestFiled, AuditAction.RequestExtended, AuditAction.RequestCompleted, AuditAction.RequestRefused,
                     AuditAction.RestrictionApplied, AuditAction.RestrictionLiftOrdered, AuditAction.RestrictionLifted,
                     AuditAction.RequestStarted, AuditAction.ExportCreated, AuditAction.ExportDownloaded, AuditAction.ErasureCompleted,
                 })
            Assert.Contains(expected, actions);
        Assert.Equal(7, actions.Count(a => a == AuditAction.RequestFiled));
        var hrActions = new[]
        {
            AuditAction.RequestExtended, AuditAction.RequestRefused, AuditAction.RestrictionLiftOrdered,
        };
        var hrEvents = await _portal.WithDbAsync(db => db.AuditEvents.Where(e => hrActions.Contains(e.Action)).ToListAsync());
        Assert.NotEmpty(hrEvents);
        Assert.All(hrEvents, e => Assert.Equal(Roles.HR, e.ActorRole));

        // Every column of every audit row, read raw so that columns added later are searched too.
        var audit = await _portal.WithDbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM \"AuditEvents\"";
            await using var reader = await command.ExecuteReaderAsync();
            var all = new StringBuilder();
            while (await reader.ReadAsync())
                for (var i = 0; i < reader.FieldCount; i++)
                    all.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i))).Append('|');
            return all.ToString();
        });
        Assert.True(audit.Length > 0);
        var logs = string.Join("\n", _portal.Logs.Entries.Select(e => $"{e.Category} {e.Message} {e.Exception}"));
        Assert.Contains("extended by", logs); // the desk does log, with ids
        foreach (var (name, text) in new[] { ("audit records", audit), ("logs", logs) })
        {
            Assert.False(text.Contains(marker, StringComparison.OrdinalIgnoreCase), $"The marker is in the {name}.");
            Assert.False(text.Contains(phoneDigits), $"The phone number is in the {name}.");
        }
    }
}
