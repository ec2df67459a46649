using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Audit;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Rights;

public sealed class RequestDeskActionsTests : IAsyncLifetime
{
    private const string LiftingSubject = "The restriction on your application is being lifted";

    private readonly FakeTimeProvider _clock = new(DeskTestKit.Start);
    private readonly MailGate _gate = new(LiftingSubject);
    private readonly PortalFactory _portal;
    private Guid _posting;

    public RequestDeskActionsTests() => _portal = DeskTestKit.PortalOn(_clock, _gate.Install);

    public async Task InitializeAsync() => _posting = await _portal.CreatePostingAsync("Privacy engineer");

    public Task DisposeAsync()
    {
        _gate.Open();
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static DateTimeOffset On(int month, int day, int hour = 10) => new(2027, month, day, hour, 0, 0, TimeSpan.Zero);

    private Task<PortalBrowser> HrAsync() => _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);

    private static async Task<string?> PostAsync(PortalBrowser hr, Guid request, string action, Dictionary<string, string>? fields = null)
    {
        var page = $"/manage/requests/{request}";
        var token = PortalBrowser.AntiforgeryToken(await hr.GetPageAsync(page), "/account/logout");
        var response = await hr.PostAsync($"{page}/{action}", token, fields ?? new Dictionary<string, string>());
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.Equal(page, response.Headers.Location!.PathAndQuery());
        return (await hr.GetPageAsync(page)).QuerySelector(".alert-danger")?.TextContent.Trim();
    }

    private Task<List<AuditEvent>> AuditOfAsync(Guid request) =>
        _portal.WithDbAsync(db => db.AuditEvents.Where(e => e.RequestId == request).OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task HR_extends_a_due_date_once_by_up_to_two_months_and_the_jobseeker_is_mailed_the_date_and_reason_within_the_first_month()
    {
        var (_, application) = await _portal.ApplyAsync(_posting, "extend@example.test", fullName: "Eli Extend");
        var request = await _portal.FileAsync(application, RequestType.Question, "What do you keep about me?");
        Assert.Equal(On(2, 28), (await _portal.RequestAsync(request)).DueAt);

        _clock.SetUtcNow(On(2, 20));
        var hr = await HrAsync();
        var page = await hr.GetPageAsync($"/manage/requests/{request}");
        Assert.Equal("2027-04-30", page.QuerySelector("#new-due-date")!.GetAttribute("max")); // received + 3 months

        Assert.Contains("at most 2 further months", await PostAsync(hr, request, "extend",
            new() { ["NewDueDate"] = "2027-05-01", ["Reason"] = "Too long." }));
        Assert.Contains("Give the reason", await PostAsync(hr, request, "extend", new() { ["NewDueDate"] = "2027-04-30", ["Reason"] = " " }));
        Assert.Contains("Choose the new due date", await PostAsync(hr, request, "extend", new() { ["Reason"] = "No date." }));
        Assert.Null((await _portal.RequestAsync(request)).ExtendedAt);

        const string reason = "We are gathering the records of two offices.";
        Assert.Null(await PostAsync(hr, request, "extend", new() { ["NewDueDate"] = "2027-04-30", ["Reason"] = reason }));
        var extended = await _portal.RequestAsync(request);
        Assert.Equal(On(4, 30), extended.DueAt); // the date HR chose, at the time of day the request came in
        Assert.Equal(On(2, 20), extended.ExtendedAt);
        Assert.Equal(reason, extended.ExtensionReason);
        Assert.Equal(RequestStatus.Received, extended.Status);

        var mail = await _portal.MailOfAsync(NotificationKind.RequestExtended, request);
        Assert.Contains("To: extend@example.test", mail);
        Assert.Contains("Subject: We need more time to answer your request", mail);
        Assert.Contains("Dear Eli Extend", mail);
        Assert.Contains("by 30 April 2027 at the latest", mail);
        Assert.Contains(reason, mail);
        // The mail is owed, and queued, the moment HR extends; extending is refused once the first month has passed
        // (next test), so the jobseeker always hears of it before the original due date.
        var notice = await _portal.WithDbAsync(db => db.Notifications.SingleAsync(n => n.RequestId == request && n.Kind == NotificationKind.RequestExtended));
        Assert.True(notice.CreatedAt <= On(2, 28) && notice.EnqueuedAt <= On(2, 28));

        Assert.Contains("only once", await PostAsync(hr, request, "extend", new() { ["NewDueDate"] = "2027-04-29", ["Reason"] = "Again." }));
        Assert.Equal(On(4, 30), (await _portal.RequestAsync(request)).DueAt);
        var page2 = await hr.GetPageAsync($"/manage/requests/{request}");
        Assert.Null(page2.QuerySelector("form.extend-form"));
        Assert.Contains(reason, page2.QuerySelector(".extension-reason")!.TextContent);

        var audit = Assert.Single(await AuditOfAsync(request), e => e.Action == AuditAction.RequestExtended);
        Assert.Equal(Roles.HR, audit.ActorRole);
        Assert.Equal(await _portal.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync()), audit.ActorUserId);
        Assert.Equal(application, audit.ApplicationId);
        Assert.Null(audit.Counts);
    }

    [Fact]
    public async Task Once_the_first_month_has_passed_the_due_date_can_no_longer_be_extended_and_no_mail_is_owed()
    {
        var (_, application) = await _portal.ApplyAsync(_posting, "late@example.test");
        var request = await _portal.FileAsync(application, RequestType.Rectification, "Wrong address.");

        _clock.SetUtcNow(On(2, 28, hour: 11)); // an hour past the due time
        var hr = await HrAsync();
        Assert.Null((await hr.GetPageAsync($"/manage/requests/{request}")).QuerySelector("form.extend-form"));
        Assert.Contains("first month has passed", await PostAsync(hr, request, "extend",
            new() { ["NewDueDate"] = "2027-04-15", ["Reason"] = "Too late." }));

        var unchanged = await _portal.RequestAsync(request);
        Assert.Null(unchanged.ExtendedAt);
        Assert.Equal(On(2, 28), unchanged.DueAt);
        Assert.False(await _portal.WithDbAsync(db => db.Notifications.AnyAsync(n => n.RequestId == request)));
        Assert.DoesNotContain(await AuditOfAsync(request), e => e.Action == AuditAction.RequestExtended);
    }

    [Fact]
    public async Task HR_completes_or_refuses_a_request_with_an_answer_that_is_mailed_and_audited()
    {
        var (_, application) = await _portal.ApplyAsync(_posting, "answers@example.test", fullName: "Ann Answer");
        var rectification = await _portal.FileAsync(application, RequestType.Rectification, "My postcode is 0150.");
        var question = await _portal.FileAsync(application, RequestType.Question, "Do you sell my data?");
        var applicantId = await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == application).Select(a => a.ApplicantId).SingleAsync());
        var export = DataSubjectRequest.File(RequestType.Access, applicantId, DeskTestKit.Start);
        export.Start(DeskTestKit.Start);
        await _portal.WithDbAsync(async db => { db.Requests.Add(export); await db.SaveChangesAsync(); });
        _clock.Advance(TimeSpan.FromDays(3));
        var hr = await HrAsync();

        Assert.Contains("Write the answer", await PostAsync(hr, rectification, "answer", new() { ["Outcome"] = "Complete", ["Answer"] = "" }));
        Assert.Null(await PostAsync(hr, rectification, "answer", new() { ["Outcome"] = "Complete", ["Answer"] = "We corrected your postcode." }));
        Assert.Null(await PostAsync(hr, question, "answer", new() { ["Outcome"] = "Refuse", ["Answer"] = "That is not a question about your data." }));

        var completed = await _portal.RequestAsync(rectification);
        Assert.Equal(RequestStatus.Completed, completed.Status);
        Assert.Equal(_clock.GetUtcNow(), completed.CompletedAt);
        Assert.Equal("We corrected your postcode.", completed.Answer);
        var refused = await _portal.RequestAsync(question);
        Assert.Equal(RequestStatus.Refused, refused.Status);

        var completedMail = await _portal.MailOfAsync(NotificationKind.RequestAnswered, rectification);
        Assert.Contains("Subject: Our answer to your request", completedMail);
        Assert.Contains("We have dealt with your request (correction of your data) of 31 January 2027.", completedMail);
        Assert.Contains("We corrected your postcode.", completedMail);
        Assert.DoesNotContain("complain", completedMail);
        var refusedMail = await _portal.MailOfAsync(NotificationKind.RequestAnswered, question);
        Assert.Contains("We have refused your request (privacy question or complaint)", refusedMail);
        Assert.Contains("That is not a question about your data.", refusedMail);
        Assert.Contains("complain to a data protection authority", refusedMail);

        Assert.Contains("already answered", await PostAsync(hr, rectification, "answer", new() { ["Outcome"] = "Refuse", ["Answer"] = "Changed my mind." }));
        Assert.Equal(RequestStatus.Completed, (await _portal.RequestAsync(rectification)).Status);
        Assert.Contains("carried out by the system", await PostAsync(hr, export.Id, "answer", new() { ["Outcome"] = "Complete", ["Answer"] = "Done." }));
        Assert.NotNull((await hr.GetPageAsync($"/manage/requests/{export.Id}")).QuerySelector(".runs-by-itself"));

        Assert.Contains(await AuditOfAsync(rectification), e => e.Action == AuditAction.RequestCompleted && e.ActorRole == Roles.HR);
        Assert.Contains(await AuditOfAsync(question), e => e.Action == AuditAction.RequestRefused && e.ActorRole == Roles.HR);
        Assert.Equal("Completed", (await hr.GetPageAsync("/manage/requests")).QuerySelector($"tr[data-request-id='{rectification}'] .request-status")!.TextContent.Trim());
    }

    [Fact]
    public async Task Upholding_an_objection_restricts_its_application_and_rejecting_one_needs_a_reason()
    {
        var (_, upheld) = await _portal.ApplyAsync(_posting, "objects@example.test");
        var other = await _portal.CreatePostingAsync("Second posting");
        var (_, rejected) = await _portal.ApplyAsync(other, "objects2@example.test");
        var upheldRequest = await _portal.FileAsync(upheld, RequestType.Objection, "Stop processing this one.");
        var rejectedRequest = await _portal.FileAsync(rejected, RequestType.Objection, "And this one.");
        var hr = await HrAsync();

        Assert.Contains("Uphold the objection", (await hr.GetPageAsync($"/manage/requests/{upheldRequest}")).QuerySelector("form.answer-form")!.TextContent);
        Assert.Null(await PostAsync(hr, upheldRequest, "answer", new() { ["Outcome"] = "Complete", ["Answer"] = "We have stopped processing it." }));
        Assert.True(await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == upheld).Select(a => a.IsRestricted).SingleAsync()));
        Assert.Equal(RequestStatus.Completed, (await _portal.RequestAsync(upheldRequest)).Status);
        Assert.Contains(await AuditOfAsync(upheldRequest), e => e.Action == AuditAction.RestrictionApplied && e.ApplicationId == upheld);
        HttpAssert.Status(HttpStatusCode.NotFound, await hr.Client.GetAsync($"/candidates/{upheld}"));
        // Restricted by the objection, so HR can lift it later like any restriction.
        Assert.NotNull((await hr.GetPageAsync($"/manage/requests/{upheldRequest}")).QuerySelector($"form[action='/manage/requests/{upheldRequest}/lift-restriction']"));

        Assert.Contains("Write the answer", await PostAsync(hr, rejectedRequest, "answer", new() { ["Outcome"] = "Refuse", ["Answer"] = "" }));
        Assert.Null(await PostAsync(hr, rejectedRequest, "answer", new() { ["Outcome"] = "Refuse", ["Answer"] = "We need it to finish the recruitment you applied to." }));
        Assert.Equal(RequestStatus.Refused, (await _portal.RequestAsync(rejectedRequest)).Status);
        Assert.False(await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == rejected).Select(a => a.IsRestricted).SingleAsync()));
        Assert.Contains("We need it to finish the recruitment", await _portal.MailOfAsync(NotificationKind.RequestAnswered, rejectedRequest));
    }

    [Fact]
    public async Task A_restriction_is_lifted_only_after_the_jobseeker_has_been_mailed_and_then_recruiters_see_the_application_again()
    {
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.AssignAsync(_posting, recruiter.Id);
        var (_, application) = await _portal.ApplyAsync(_posting, "restricts@example.test", fullName: "Rita Restrict");
        var request = await _portal.FileAsync(application, RequestType.Restriction, "I contest the accuracy of my CV's dates.");
        var staff = await _portal.SignedInAsync(recruiter.Email, recruiter.Password);
        var candidates = $"/manage/postings/{_posting}/candidates";
        HttpAssert.Status(HttpStatusCode.NotFound, await staff.Client.GetAsync($"/candidates/{application}"));
        Assert.DoesNotContain("Rita Restrict", (await staff.GetPageAsync(candidates)).Body!.TextContent);

        var hr = await HrAsync();
        Assert.Null(await PostAsync(hr, request, "lift-restriction"));

        // The mail job has the mail in hand but has not sent it: the application is still restricted.
        await _gate.Arrived.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == application).Select(a => a.IsRestricted).SingleAsync()));
        HttpAssert.Status(HttpStatusCode.NotFound, await staff.Client.GetAsync($"/candidates/{application}"));
        Assert.DoesNotContain(await AuditOfAsync(request), e => e.Action == AuditAction.RestrictionLifted);
        var pending = await hr.GetPageAsync($"/manage/requests/{request}");
        Assert.NotNull(pending.QuerySelector(".lifting-pending"));
        Assert.Null(pending.QuerySelector($"form[action='/manage/requests/{request}/lift-restriction']"));
        Assert.Contains("already being lifted", await PostAsync(hr, request, "lift-restriction"));
        var answered = await _portal.RequestAsync(request);
        Assert.Equal(RequestStatus.Completed, answered.Status);
        Assert.Equal(RequestDesk.LiftedAnswer, answered.Answer);

        _gate.Open();
        await Wait.UntilAsync(async () => !await _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == application)
            .Select(a => a.IsRestricted).SingleAsync()), "the restriction to be lifted. " + _portal.Logs.Errors());

        var mail = await _portal.MailOfAsync(NotificationKind.RestrictionLifting, request);
        Assert.Contains("To: restricts@example.test", mail);
        Assert.Contains($"Subject: {LiftingSubject}", mail);
        Assert.Contains("\"Privacy engineer\"", mail);
        Assert.Contains("can see and process your application again", mail);
        HttpAssert.Status(HttpStatusCode.OK, await staff.Client.GetAsync($"/candidates/{application}"));
        Assert.Contains("Rita Restrict", (await staff.GetPageAsync(candidates)).Body!.TextContent);

        var audit = await AuditOfAsync(request);
        Assert.Contains(audit, e => e.Action == AuditAction.RestrictionLiftOrdered && e.ActorRole == Roles.HR);
        Assert.Contains(audit, e => e.Action == AuditAction.RestrictionLifted && e.ActorRole == AuditEvent.SystemActor && e.ApplicationId == application);
        Assert.Contains("not restricted", await PostAsync(hr, request, "lift-restriction"));
    }
}
