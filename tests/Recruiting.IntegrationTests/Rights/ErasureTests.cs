using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Consent;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.Core.Storage;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>"Delete my data" (Art. 17) end to end, on the real app: nothing left behind, legal holds, idempotence, sessions.</summary>
public sealed class ErasureTests : IAsyncLifetime
{
    internal const string Password = "correct horse battery staple";

    private readonly SwitchableMail _mail = new();
    private readonly ShiftableClock _sessionClock = new();
    private readonly PortalFactory _portal;
    private Guid _postingId;

    public ErasureTests()
    {
        _portal = new PortalFactory
        {
            TestServices = services =>
            {
                // The receipt can be made to fail, as a stand-in for a crash between steps.
                var original = services.Single(d => d.ServiceType == typeof(IMailSender));
                services.Remove(original);
                services.AddSingleton<IMailSender>(sp =>
                {
                    _mail.Inner = (IMailSender)original.ImplementationFactory!(sp);
                    return _mail;
                });
                // Sessions re-check their security stamp once a minute; this clock lets a test be a minute later.
                services.Configure<SecurityStampValidatorOptions>(o => o.TimeProvider = _sessionClock);
            },
        };
    }

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Data engineer");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task After_erasure_none_of_their_details_is_left_in_the_data_folder_the_logs_or_hangfire_and_a_tombstone_remains()
    {
        var subject = await ApplyWithMarkersAsync();

        // A recruiter opens the application (an access-log entry) and writes a note naming them.
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.AssignAsync(_postingId, recruiter.Id);
        var staff = await _portal.SignedInAsync(recruiter.Email, recruiter.Password);
        HttpAssert.Status(HttpStatusCode.Redirect, await staff.SubmitAsync($"/candidates/{subject.ApplicationId}",
            $"/candidates/{subject.ApplicationId}/notes", new Dictionary<string, string> { ["Text"] = subject.NoteText }));

        // A consent, a finished export with its ZIP, a question and an ended legal hold, each carrying their details.
        var exportBytes = RandomNumberGenerator.GetBytes(48);
        subject.Traces.Bytes("export ZIP bytes", exportBytes);
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Recruiting.Core.Data.RecruitingDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.Consents.Add(ConsentRecord.Give(subject.ApplicantId, subject.ApplicationId, ConsentPurpose.TalentPool, now));
            var export = DataSubjectRequest.File(RequestType.Access, subject.ApplicantId, now);
            var blob = await scope.ServiceProvider.GetRequiredService<IBlobStore>().PutAsync(BlobNames.NewExport(), new MemoryStream(exportBytes));
            export.Start(now);
            export.AttachExport(blob.Name, blob.Size, now.AddDays(7));
            export.Complete(now);
            db.Requests.Add(export);
            db.Requests.Add(DataSubjectRequest.File(RequestType.Question, subject.ApplicantId, now, details: subject.QuestionText));
            var hold = LegalHold.OnApplication(subject.ApplicationId, subject.HoldReason, recruiter.Id, now.AddDays(-30));
            hold.Lift(recruiter.Id, now.AddDays(-1));
            db.LegalHolds.Add(hold);
            await db.SaveChangesAsync();
        }
        // The search works: before the erasure it finds them in the database, the blob store and the mail sent them.
        await UntilAsync(async () => (await _portal.WithDbAsync(db => db.Notifications.CountAsync(n => n.UserId == subject.UserId && n.SentAt != null))) >= 2,
            "the mails to them to be written");
        var before = subject.Traces.InFolder(_portal.DataDirectory).Concat(await InDatabaseAsync(subject)).ToList();
        Assert.Contains(before, f => f.StartsWith("mail") && f.EndsWith("name (UTF-8)"));
        var database = PortalFactory.OnPostgreSql ? "database" : "recruiting.db";
        Assert.Contains(before, f => f.StartsWith(database) && f.EndsWith(PortalFactory.OnPostgreSql ? ": name" : "name (UTF-8)"));
        Assert.Contains(before, f => f.StartsWith("blobs") && f.EndsWith("document bytes"));
        Assert.Contains(before, f => f.StartsWith("blobs") && f.EndsWith("export ZIP bytes"));

        var requestId = await RequestErasureAsync(subject);
        await WaitUntilCompletedAsync(requestId);

        // The whole data folder, mail included. The receipt is the one mail still owed them and holds their address;
        // its copy expires like every other (HousekeepingTests).
        var receiptFile = Path.Combine("mail", $"{requestId:N}.eml");
        var left = subject.Traces.InFolder(_portal.DataDirectory).Where(f => !f.StartsWith($"{receiptFile}: email ", StringComparison.Ordinal))
            .Concat(await InDatabaseAsync(subject))
            .Concat(subject.Traces.InText("logs", _portal.Logs.Entries.Select(e => $"{e.Category} {e.Message} {e.Exception}")))
            .Concat(subject.Traces.InText("Hangfire", HangfireJobTexts()))
            .ToList();
        Assert.True(left.Count == 0, "Found after erasure:\n" + string.Join("\n", left));
        Assert.Empty(_portal.BlobFiles());
        Assert.Empty(await NameSearchIndex.TracesOfAsync(_portal, subject.FullName));
        AssertHangfireArgumentsAreIds();

        // The tombstone: type, times, status and counts; no subject, no words.
        var tombstone = await _portal.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == requestId));
        Assert.Null(tombstone.ApplicantId);
        Assert.Null(tombstone.Answer);
        Assert.NotNull(tombstone.CompletedAt);
        Assert.NotNull(tombstone.ReceiptSentAt);
        var counts = ErasureReceipt.Parse(tombstone.ResultCounts);
        foreach (var (kind, count) in new[] { ("profile", 1), ("applications", 1), ("documents", 1), ("notes", 1), ("consents", 1),
                     ("requests", 2), ("exports", 1), ("legalHolds", 1), ("account", 1) })
            Assert.True(counts.GetValueOrDefault(kind) == count, $"{kind}: expected {count} in '{tombstone.ResultCounts}'");
        Assert.True(counts["accessLog"] >= 1 && counts["notifications"] >= 2, tombstone.ResultCounts);
        Assert.Equal(3, await _portal.WithDbAsync(db => db.Requests.CountAsync(r => r.ApplicantId == null)));
        Assert.False(await _portal.WithDbAsync(db => db.Requests.AnyAsync(r => r.Status == RequestStatus.Received)));
        var audit = await _portal.WithDbAsync(db => db.AuditEvents.SingleAsync(a => a.Action == AuditAction.ErasureCompleted));
        Assert.Equal(requestId, audit.RequestId);
        Assert.Equal(tombstone.ResultCounts, audit.Counts);

        // The receipt went to the address before it was erased, and lists what was deleted.
        var receipt = await File.ReadAllTextAsync(Path.Combine(_portal.MailFolder, $"{requestId:N}.eml"));
        Assert.Contains($"To: {subject.Email}", receipt);
        Assert.Contains("Subject: Your data has been deleted", receipt);
        Assert.Contains($"Request number: {requestId}", receipt);
        Assert.Contains("- Applications, with their cover letters: 1", receipt);
        Assert.Contains("- Documents you uploaded (CVs and others): 1", receipt);
        Assert.Contains("- Recruiters' notes about your applications: 1", receipt);
        Assert.Contains("- Your account: 1", receipt);

        // They are signed out and cannot sign in again.
        HttpAssert.Status(HttpStatusCode.Redirect, await subject.Browser.Client.GetAsync("/my/applications"));
        var login = await new PortalBrowser(_portal.CreateBrowserClient()).SubmitAsync("/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = subject.Email, ["Password"] = Password });
        HttpAssert.Status(HttpStatusCode.OK, login);
    }

    [Fact]
    public async Task A_legal_hold_puts_the_request_on_hold_deleting_nothing_and_once_lifted_the_reconcile_job_completes_it()
    {
        var subject = await ApplyWithMarkersAsync();
        await _portal.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Id == subject.UserId)).EmailConfirmed = true;
            await db.SaveChangesAsync();
        });
        var hr = await _portal.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync());
        var hold = LegalHold.OnApplicant(subject.ApplicantId, "A court case about this recruitment is pending", hr, DateTimeOffset.UtcNow);
        await _portal.WithDbAsync(async db => { db.LegalHolds.Add(hold); await db.SaveChangesAsync(); });

        var requestId = await RequestErasureAsync(subject);
        await UntilAsync(async () => await _portal.WithDbAsync(db => db.Requests.AnyAsync(r => r.Id == requestId && r.Status == RequestStatus.OnHold)),
            "the erasure to go on hold");

        var held = await _portal.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == requestId));
        Assert.StartsWith("Refused under Art. 17(3)(e): A court case about this recruitment is pending.", held.Answer);
        Assert.True(await _portal.WithDbAsync(db => db.Notifications.AnyAsync(n =>
            n.Kind == NotificationKind.RequestAnswered && n.RequestId == requestId && n.UserId == subject.UserId)));
        Assert.True(await _portal.WithDbAsync(db => db.Applicants.AnyAsync(a => a.Id == subject.ApplicantId)));
        Assert.True(await _portal.WithDbAsync(db => db.Applications.AnyAsync(a => a.Id == subject.ApplicationId)));
        Assert.True(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == subject.UserId)));
        Assert.Single(_portal.BlobFiles());
        Assert.True(await _portal.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == AuditAction.RequestOnHold && a.RequestId == requestId)));

        // They can sign in again and see why; asking again files nothing new.
        var again = await _portal.SignedInAsync(subject.Email, Password);
        var page = await again.GetPageAsync("/my/data/delete");
        Assert.Contains("On hold", page.QuerySelector("#pending-erasure .request-status")!.TextContent);
        Assert.Contains("A court case about this recruitment is pending", page.QuerySelector("#pending-erasure")!.TextContent);
        Assert.Null(page.QuerySelector("form[action='/my/data/delete']"));

        // HR lifts the hold; the next reconcile run resumes the erasure with nobody asking again.
        await _portal.WithDbAsync(async db =>
        {
            (await db.LegalHolds.SingleAsync(h => h.Id == hold.Id)).Lift(hr, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        });
        await using (var scope = _portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<RequestReconcileJob>().RunAsync(CancellationToken.None);
        await WaitUntilCompletedAsync(requestId);

        Assert.False(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == subject.UserId)));
        Assert.False(await _portal.WithDbAsync(db => db.LegalHolds.AnyAsync()));
        Assert.Empty(_portal.BlobFiles());
        var tombstone = await _portal.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == requestId));
        Assert.Null(tombstone.Answer);
        Assert.Null(tombstone.ApplicantId);
    }

    [Fact]
    public async Task The_job_run_again_after_failing_half_way_or_after_finishing_ends_in_the_same_state_and_a_missing_blob_does_not_fail_it()
    {
        var subject = await ApplyWithMarkersAsync();
        var request = DataSubjectRequest.File(RequestType.Erasure, subject.ApplicantId, DateTimeOffset.UtcNow);
        await _portal.WithDbAsync(async db => { db.Requests.Add(request); await db.SaveChangesAsync(); });
        File.Delete(Assert.Single(_portal.BlobFiles())); // the blob is gone already: counts as deleted

        _mail.Failing = true; // the receipt cannot be sent: the run stops after the rows are deleted
        await Assert.ThrowsAsync<IOException>(() => RunJobAsync(request.Id));
        var halfway = await _portal.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == request.Id));
        Assert.Equal(RequestStatus.InProgress, halfway.Status);
        Assert.Null(halfway.ReceiptSentAt);
        Assert.NotNull(halfway.ResultCounts);
        Assert.False(await _portal.WithDbAsync(db => db.Applications.AnyAsync()));
        Assert.True(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == subject.UserId)));

        _mail.Failing = false;
        await RunJobAsync(request.Id);
        var done = await _portal.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == request.Id));
        Assert.Equal(RequestStatus.Completed, done.Status);
        Assert.Equal(halfway.ResultCounts, done.ResultCounts); // counted once, before anything was deleted
        Assert.Contains("documents=1", done.ResultCounts);

        await RunJobAsync(request.Id);
        var after = await _portal.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == request.Id));
        Assert.Equivalent(done, after);
        Assert.Equal(1, await _portal.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.Action == AuditAction.ErasureCompleted)));
        Assert.Single(_portal.MailFiles(), f => File.ReadAllText(f).Contains("Subject: Your data has been deleted"));
        Assert.False(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == subject.UserId)));
    }

    [Fact]
    public async Task Another_session_of_the_erased_jobseeker_no_longer_works()
    {
        var subject = await ApplyWithMarkersAsync();
        await _portal.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Id == subject.UserId)).EmailConfirmed = true;
            await db.SaveChangesAsync();
        });
        var otherSession = await _portal.SignedInAsync(subject.Email, Password);
        HttpAssert.Status(HttpStatusCode.OK, await otherSession.Client.GetAsync("/my/applications"));

        var requestId = await RequestErasureAsync(subject);
        await WaitUntilCompletedAsync(requestId);

        // Sessions re-check the account once a minute: a minute on, the other browser's cookie is refused.
        _sessionClock.Shift = TimeSpan.FromMinutes(2);
        var response = await otherSession.Client.GetAsync("/my/applications");
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_wrong_password_or_an_unconfirmed_address_files_nothing()
    {
        var subject = await ApplyWithMarkersAsync();
        await _portal.UnconfirmEmailAsync(subject.Email);

        var unconfirmed = await subject.Browser.GetPageAsync("/my/data/delete");
        Assert.NotNull(unconfirmed.QuerySelector("#confirm-email-first"));
        Assert.Null(unconfirmed.QuerySelector("form[action='/my/data/delete']"));
        var token = PortalBrowser.AntiforgeryToken(unconfirmed, "/account/confirm-email/resend");
        var posted = await subject.Browser.PostAsync("/my/data/delete", token, new Dictionary<string, string> { ["Password"] = Password });
        HttpAssert.Status(HttpStatusCode.OK, posted);
        Assert.Contains("confirm your email address first", await posted.Content.ReadAsStringAsync());

        // A new link can be sent from the page.
        HttpAssert.Status(HttpStatusCode.Redirect, await subject.Browser.PostAsync("/account/confirm-email/resend", token,
            new Dictionary<string, string> { ["returnUrl"] = "/my/data/delete" }));
        Assert.Equal(2, await _portal.WithDbAsync(db => db.Notifications.CountAsync(n => n.UserId == subject.UserId && n.Kind == NotificationKind.ConfirmEmail)));

        await _portal.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Id == subject.UserId)).EmailConfirmed = true;
            await db.SaveChangesAsync();
        });
        var wrong = await subject.Browser.SubmitAsync("/my/data/delete", "/my/data/delete",
            new Dictionary<string, string> { ["Password"] = "not my password at all" });
        HttpAssert.Status(HttpStatusCode.OK, wrong);
        Assert.Contains("The password is not right. Nothing has been deleted.", await wrong.Content.ReadAsStringAsync());

        Assert.False(await _portal.WithDbAsync(db => db.Requests.AnyAsync()));
        HttpAssert.Status(HttpStatusCode.OK, await subject.Browser.Client.GetAsync("/my/applications"));
    }

    [Fact]
    public async Task An_account_without_an_applicant_profile_is_deleted_at_once_with_a_receipt()
    {
        var email = $"account-only-{Guid.NewGuid():N}@example.test";
        Guid userId;
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Jobseeker)).Succeeded);
            userId = user.Id;
        }
        var browser = await _portal.SignedInAsync(email, Password);

        var response = await browser.SubmitAsync("/my/data/delete", "/my/data/delete", new Dictionary<string, string> { ["Password"] = Password });

        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.Equal("/my/data/delete/requested", response.Headers.Location!.OriginalString);
        Assert.Contains("Your data is being deleted", (await browser.GetPageAsync("/my/data/delete/requested")).Body!.TextContent);
        Assert.False(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == userId)));
        var audit = await _portal.WithDbAsync(db => db.AuditEvents.SingleAsync(a => a.Action == AuditAction.ErasureCompleted));
        Assert.Equal(userId, audit.ActorUserId);
        var receipt = Assert.Single(_portal.MailFiles().Select(File.ReadAllText), m => m.Contains($"To: {email}"));
        Assert.Contains("- Your account: 1", receipt);
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.Client.GetAsync("/my/data/delete"));
    }

    // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>On PostgreSQL the database is not in the data folder: its rows are searched as text.</summary>
    private async Task<IReadOnlyList<string>> InDatabaseAsync(Subject subject) =>
        PortalFactory.OnPostgreSql ? subject.Traces.InText("database", await _portal.DatabaseRowsAsTextAsync()) : [];

    internal sealed record Subject(PortalBrowser Browser, Guid ApplicationId, Guid ApplicantId, Guid UserId, string FullName, string Email,
        string NoteText, string QuestionText, string HoldReason, Traces Traces);

    /// <summary>A visitor applies with a unique marker in every detail and a document with unique bytes.</summary>
    private async Task<Subject> ApplyWithMarkersAsync()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        var phoneDigits = "9" + string.Concat(RandomNumberGenerator.GetBytes(7).Select(b => (char)('0' + b % 10)));
        var documentMarker = RandomNumberGenerator.GetBytes(48);
        var email = $"trace-{m}@example.test";
        var fullName = $"Ingrid Tracemark{m}";
        var traces = new Traces()
            .Text("name", $"Tracemark{m}")
            .Text("email", $"trace-{m}")
            .Text("phone", phoneDigits)
            .Text("address", $"Tracegata {m}")
            .Text("cover letter", $"coverword{m}")
            .Text("file name", $"filemark{m}")
            .Text("note", $"noteword{m}")
            .Text("question", $"questionword{m}")
            .Text("hold reason", $"holdword{m}")
            .Bytes("document bytes", documentMarker);
        byte[] document = [.. SampleFiles.Pdf(), .. "%"u8, .. documentMarker, .. "\n"u8];

        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var url = $"/postings/{_postingId}/apply";
        var response = await browser.SubmitAsync(url, url, new Dictionary<string, string>
        {
            ["FullName"] = fullName, ["Email"] = email, ["Phone"] = $"+47 {phoneDigits}",
            ["Address"] = $"Tracegata {m}, 0150 Oslo", ["CoverLetter"] = $"I would bring coverword{m} to the team.", ["Password"] = Password,
        }, [new FormFile("Cv", $"cv-filemark{m}.pdf", document, "application/pdf")]);
        HttpAssert.Status(HttpStatusCode.Redirect, response);

        var ids = await _portal.WithDbAsync(db => db.Applications
            .Where(a => a.Applicant.Email == email).Select(a => new { a.Id, a.ApplicantId, a.Applicant.UserId }).SingleAsync());
        var userId = ids.UserId;
        // The apply mails are sent first, so no job of theirs is in flight during the erasure.
        await UntilAsync(async () => await _portal.WithDbAsync(db => db.Notifications.Where(n => n.UserId == userId).AllAsync(n => n.SentAt != null)),
            "the application mails");
        var subject = new Subject(browser, ids.Id, ids.ApplicantId, userId, fullName, email, $"Called Tracemark{m}, noteword{m}.",
            $"What do you keep? questionword{m}", $"Claim about holdword{m}", traces);
        await ConfirmEmailByMailAsync(subject);
        return subject;
    }

    private async Task ConfirmEmailByMailAsync(Subject subject)
    {
        var mail = _portal.MailFiles().Select(File.ReadAllText)
            .Single(m => m.Contains($"To: {subject.Email}") && m.Contains("Subject: Confirm your email address"));
        var link = mail.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http://localhost/account/confirm-email"));
        HttpAssert.Redirect("/my/applications", await subject.Browser.ConfirmFromLinkAsync(link, Password));
    }

    /// <summary>Through the page, as they would: the password again, then the "being deleted" page, signed out.</summary>
    private async Task<Guid> RequestErasureAsync(Subject subject)
    {
        var page = await subject.Browser.GetPageAsync("/my/data/delete");
        Assert.Contains("cannot be undone", page.Body!.TextContent);
        Assert.Contains("legal hold", page.Body!.TextContent);
        var response = await subject.Browser.SubmitAsync("/my/data/delete", "/my/data/delete",
            new Dictionary<string, string> { ["Password"] = Password });
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.Equal("/my/data/delete/requested", response.Headers.Location!.OriginalString);
        Assert.Contains("Your data is being deleted", (await subject.Browser.GetPageAsync("/my/data/delete/requested")).Body!.TextContent);
        return await _portal.WithDbAsync(db => db.Requests.Where(r => r.Type == RequestType.Erasure).Select(r => r.Id).SingleAsync());
    }

    private Task WaitUntilCompletedAsync(Guid requestId) =>
        UntilAsync(async () => await _portal.WithDbAsync(db => db.Requests.AnyAsync(r => r.Id == requestId && r.Status == RequestStatus.Completed)),
            "the erasure to complete");

    /// <summary><see cref="Wait.UntilAsync(Func{Task{bool}}, string, TimeSpan?)"/>, telling on timeout what the server warned about.</summary>
    private async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        try
        {
            await Wait.UntilAsync(condition, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nServer warnings and errors:\n" + _portal.Logs.Errors(Microsoft.Extensions.Logging.LogLevel.Warning), e);
        }
    }

    private async Task RunJobAsync(Guid requestId)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ErasureJob>().RunAsync(requestId, CancellationToken.None);
    }

    private IEnumerable<string> HangfireJobTexts()
    {
        var monitoring = _portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        foreach (var id in AllJobIds(monitoring))
        {
            var details = monitoring.JobDetails(id);
            if (details is null) continue;
            var text = new StringBuilder($"{details.Job?.Type} {details.Job?.Method.Name} ");
            text.AppendJoin(" ", details.Job?.Args.Select(a => a is Guid[] ids ? string.Join(" ", ids) : a?.ToString()) ?? []);
            text.AppendJoin(" ", details.Properties.Select(p => $"{p.Key}={p.Value}"));
            foreach (var state in details.History)
                text.Append($" {state.StateName} {state.Reason} ").AppendJoin(" ", state.Data.Select(d => $"{d.Key}={d.Value}"));
            yield return text.ToString();
        }
    }

    private void AssertHangfireArgumentsAreIds()
    {
        var monitoring = _portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var args = AllJobIds(monitoring).Select(monitoring.JobDetails).Where(d => d?.Job is not null).SelectMany(d => d.Job.Args).ToList();
        Assert.NotEmpty(args);
        Assert.All(args, arg => Assert.True(arg is Guid or Guid[] or CancellationToken, $"Job argument {arg?.GetType()}"));
    }

    private static IEnumerable<string> AllJobIds(Hangfire.Storage.IMonitoringApi monitoring) =>
        monitoring.SucceededJobs(0, 1000).Select(j => j.Key)
            .Concat(monitoring.FailedJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.ProcessingJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.ScheduledJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.DeletedJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.Queues().SelectMany(q => monitoring.EnqueuedJobs(q.Name, 0, 1000).Select(j => j.Key)))
            .Distinct()
            .ToList();

    /// <summary>The app's mail sender, or a failure when <see cref="Failing"/> is set.</summary>
    private sealed class SwitchableMail : IMailSender
    {
        public IMailSender? Inner { get; set; }
        public bool Failing { get; set; }

        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default) =>
            Failing ? throw new IOException("The mail server is unreachable (test).") : Inner!.SendAsync(mail, cancellationToken);
    }

    /// <summary>The real clock, moved on by <see cref="Shift"/>.</summary>
    private sealed class ShiftableClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }
}
