using System.Net;
using AngleSharp.Html.Dom;
using Azure.Storage.Blobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Audit;
using Recruiting.Core.Postings;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.Infrastructure.Blobs;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>
/// Two instances, one system: two portal processes on one PostgreSQL, one Azurite and one SMTP sink share
/// sessions, forms, recurring jobs and data-subject requests as one portal would.
/// </summary>
[TestCaseOrderer(RunsLastOrderer.TypeName, RunsLastOrderer.AssemblyName)]
public sealed class TwoInstanceTests(TwoInstanceFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<TwoInstanceFixture>
{
    private const string Password = "correct horse battery staple";
    private const string ReceiptSubject = "Your data has been deleted";

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private void Mark(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds:F1} s: {what}");

    [Fact]
    public async Task A_user_who_signs_in_on_one_instance_is_signed_in_on_the_other()
    {
        var cookies = new CookieContainer();
        await TwoInstanceFixture.BrowserOf(fixture.A, cookies).SignInAsync(fixture.HrEmail, fixture.HrPassword);

        // Without the cookie, B sends the visitor to sign in.
        HttpAssert.Status(HttpStatusCode.Redirect, await TwoInstanceFixture.BrowserOf(fixture.B).Client.GetAsync("/manage/requests"));

        var onB = TwoInstanceFixture.BrowserOf(fixture.B, CopyCookies(cookies, fixture.A, fixture.B));
        var page = await onB.GetPageAsync("/manage/requests");
        Assert.Contains("Sign out", page.Body!.TextContent);
    }

    [Fact]
    public async Task A_form_rendered_by_one_instance_posts_to_the_other_and_its_CV_is_readable_from_both()
    {
        var postingId = await CreatePostingAsync();
        var url = $"/postings/{postingId}/apply";
        var email = $"form-{Guid.NewGuid():N}@example.test";
        var cv = SampleFiles.Pdf();

        var onACookies = new CookieContainer();
        var form = await TwoInstanceFixture.BrowserOf(fixture.A, onACookies).GetPageAsync(url);
        var onBCookies = CopyCookies(onACookies, fixture.A, fixture.B);
        var response = await TwoInstanceFixture.BrowserOf(fixture.B, onBCookies).PostAsync(url, PortalBrowser.AntiforgeryToken(form, url),
            ApplyFields(form, url, email), [new FormFile("Cv", "cv.pdf", cv, "application/pdf")]);
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        // The mails (receipt and address confirmation) go out by SMTP; the link, opened on B, signs the applicant in.
        var confirm = (await fixture.Mail.WaitForAsync(email, 2)).Single(m => m.Subject == "Confirm your email address");
        HttpAssert.Redirect("/my/applications", await TwoInstanceFixture.BrowserOf(fixture.B, onBCookies).ConfirmFromLinkAsync(ConfirmLink(confirm), Password));

        var documentId = await fixture.WithDbAsync(db => db.Documents
            .Where(d => db.Applications.Any(a => a.Id == d.ApplicationId && a.Applicant.Email == email && a.JobPostingId == postingId))
            .Select(d => d.Id).SingleAsync());
        // That session, and the CV B stored, are as good on A.
        foreach (var portal in new[] { fixture.B, fixture.A })
        {
            var download = await TwoInstanceFixture.BrowserOf(portal, CopyCookies(onBCookies, fixture.B, portal)).Client
                .GetAsync($"/my/documents/{documentId}");
            HttpAssert.Status(HttpStatusCode.OK, download);
            Assert.Equal(cv, await download.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_recurring_job_runs_once_per_tick_across_both_instances()
    {
        // Both instances poll for due recurring jobs every second.
        var servers = await fixture.QueryAsync("SELECT id FROM hangfire.server WHERE lastheartbeat > now() - interval '1 minute'", r => r.GetString(0));
        output.WriteLine(string.Join(", ", servers) + $" (processes {fixture.A.ProcessId}, {fixture.B.ProcessId})");
        Assert.Equal(2, servers.Count);

        await Wait.UntilAsync(async () => await fixture.WithDbAsync(db => db.RetentionRuns.CountAsync(r => r.Status == RetentionRunStatus.Completed)) >= 3,
            "three retention runs", TimeSpan.FromSeconds(40));
        Mark("three runs");

        // Runs first, then jobs: every run read has its job among the jobs read.
        var runs = await fixture.WithDbAsync(db => db.RetentionRuns.AsNoTracking().ToListAsync());
        var jobs = await fixture.QueryAsync("""
            SELECT j.createdat FROM hangfire.job j
            WHERE EXISTS (SELECT 1 FROM hangfire.jobparameter p WHERE p.jobid = j.id AND p.name = 'RecurringJobId' AND p.value LIKE '%retention%')
            """, r => new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(0), DateTimeKind.Utc)));
        output.WriteLine(string.Join("\n", jobs.Order().Select(j => $"job {j:HH:mm:ss.fff}")));
        output.WriteLine(string.Join("\n", runs.OrderBy(r => r.StartedAt).Select(r => $"run {r.StartedAt:HH:mm:ss.fff} {r.Status}")));

        // Hangfire triggers a tick's job once, covering any ticks it missed, so a correct cluster never makes two jobs
        // within one period; two schedulers each firing the tick would.
        static long Period(DateTimeOffset at) => at.ToUnixTimeSeconds() / (long)TwoInstanceFixture.RetentionPeriod.TotalSeconds;
        Assert.Equal(jobs.Count, jobs.Select(Period).Distinct().Count());
        // And each job ran once: no run without its own job.
        Assert.True(runs.Count <= jobs.Count, $"{runs.Count} runs for {jobs.Count} jobs");
        Assert.DoesNotContain(runs, r => r.Status == RetentionRunStatus.Failed);
    }

    [Fact]
    public async Task An_erasure_both_instances_want_is_carried_out_exactly_once()
    {
        var subject = await ApplyAndConfirmAsync("twice");
        Guid requestId;
        string duplicateJob;
        fixture.Gate.Hold();
        try
        {
            requestId = await RequestErasureAsync(subject);
            // The erasure job stops inside its receipt, after deleting blobs and rows.
            await Wait.UntilAsync(() => fixture.Gate.Waiting == 1, "the erasure to reach its receipt");
            var (_, first) = ProcessingJobOf(requestId);
            Mark("first run at the receipt on " + first);

            // What an instance does when it believes the job was lost (reconcile): hand the request over again.
            duplicateJob = new BackgroundJobClient(fixture.Hangfire).Enqueue<ErasureJob>(j => j.RunAsync(requestId, CancellationToken.None));
            await Wait.UntilAsync(() => fixture.Gate.Waiting > 1 || StateOf(duplicateJob) == "Succeeded",
                "the second run to leave the request to the first");
            Mark("second run done");
            Assert.Equal(1, fixture.Gate.Waiting);
            Assert.Equal("Succeeded", StateOf(duplicateJob));
            // One worker each, the first one busy: the second run was the other instance's.
            Assert.NotEqual(first, ServersOf(duplicateJob).Single());
        }
        finally
        {
            fixture.Gate.Release();
        }

        await AssertErasedOnceAsync(subject, requestId);
    }

    [Fact, RunsLast]
    public async Task An_erasure_interrupted_by_killing_its_instance_is_finished_by_the_other_exactly_once()
    {
        var subject = await ApplyAndConfirmAsync("killed");
        Guid requestId;
        string job, stuckServer;
        PortalProcess survivor;
        fixture.Gate.Hold();
        try
        {
            requestId = await RequestErasureAsync(subject);
            await Wait.UntilAsync(() => fixture.Gate.Waiting == 1, "the erasure to reach its receipt");
            (job, stuckServer) = ProcessingJobOf(requestId);
            var stuck = fixture.OwnerOf(stuckServer);
            survivor = stuck == fixture.A ? fixture.B : fixture.A;
            Mark($"erasure held on {stuck.Address}; killing it");
            await stuck.KillAsync();
        }
        finally
        {
            // The killed instance's connection is gone; nothing of it passes.
            fixture.Gate.Release();
        }

        // Hangfire hands the same job to the survivor once the dead instance stops keeping it invisible.
        await AssertErasedOnceAsync(subject, requestId, TimeSpan.FromSeconds(45));
        Mark("completed by the survivor");
        var servers = ServersOf(job);
        Assert.Equal(stuckServer, servers[0]);
        Assert.Equal(survivor, fixture.OwnerOf(servers[^1]));
    }

    private sealed record Subject(string Email, CookieContainer Cookies, PortalProcess On, Guid UserId, Guid ApplicantId, string BlobName);

    /// <summary>Applies on A with a CV; confirms the address by the link in the mail, opened on B, which signs them in.</summary>
    private async Task<Subject> ApplyAndConfirmAsync(string tag)
    {
        var postingId = await CreatePostingAsync();
        var email = $"{tag}-{Guid.NewGuid():N}@example.test";
        var cookies = new CookieContainer();
        var browser = TwoInstanceFixture.BrowserOf(fixture.A, cookies);
        var url = $"/postings/{postingId}/apply";
        var form = await browser.GetPageAsync(url);
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.PostAsync(url, PortalBrowser.AntiforgeryToken(form, url),
            ApplyFields(form, url, email), [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf")]));

        var confirm = (await fixture.Mail.WaitForAsync(email, 2)).Single(m => m.Subject == "Confirm your email address");
        var onB = CopyCookies(cookies, fixture.A, fixture.B);
        HttpAssert.Redirect("/my/applications", await TwoInstanceFixture.BrowserOf(fixture.B, onB).ConfirmFromLinkAsync(ConfirmLink(confirm), Password));
        cookies = CopyCookies(onB, fixture.B, fixture.A); // the session B began, used on A from here on

        return await fixture.WithDbAsync(async db =>
        {
            var applicant = await db.Applicants.SingleAsync(a => a.Email == email);
            Assert.True(await db.Users.AnyAsync(u => u.Id == applicant.UserId && u.EmailConfirmed));
            var blob = await db.Documents.Where(d => db.Applications.Any(a => a.Id == d.ApplicationId && a.ApplicantId == applicant.Id))
                .Select(d => d.BlobName).SingleAsync();
            return new Subject(email, cookies, fixture.A, applicant.UserId, applicant.Id, blob);
        });
    }

    private static string ConfirmLink(ReceivedMail mail) =>
        mail.Text!.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/account/confirm-email"));

    /// <summary>"Delete my data" with the password, on the instance they are using; returns the request id.</summary>
    private async Task<Guid> RequestErasureAsync(Subject subject)
    {
        var browser = TwoInstanceFixture.BrowserOf(subject.On, subject.Cookies);
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.SubmitAsync("/my/data/delete", "/my/data/delete",
            new Dictionary<string, string> { ["Password"] = Password }));
        return await fixture.WithDbAsync(db => db.Requests
            .Where(r => r.Type == RequestType.Erasure && r.ApplicantId == subject.ApplicantId).Select(r => r.Id).SingleAsync());
    }

    private async Task AssertErasedOnceAsync(Subject subject, Guid requestId, TimeSpan? timeout = null)
    {
        await Wait.UntilAsync(() => fixture.WithDbAsync(async db =>
                await db.Requests.AnyAsync(r => r.Id == requestId && r.Status == RequestStatus.Completed)
                && !await db.Users.AnyAsync(u => u.Id == subject.UserId)),
            "the erasure to complete", timeout ?? TimeSpan.FromSeconds(30));

        // Exactly one receipt, to them.
        await fixture.Mail.WaitForAsync(subject.Email, 3);
        var receipts = (await fixture.Mail.MessagesAsync()).Where(m => m.IsTo(subject.Email) && m.Subject == ReceiptSubject).ToList();
        Assert.Single(receipts);
        Assert.Contains($"Request number: {requestId}", receipts[0].Text);

        await fixture.WithDbAsync(async db =>
        {
            var events = await db.AuditEvents.Where(e => e.RequestId == requestId).Select(e => e.Action).ToListAsync();
            Assert.Equal(1, events.Count(a => a == AuditAction.ErasureCompleted));
            Assert.Equal(1, events.Count(a => a == AuditAction.RequestStarted));

            // No trace of them: profile, account, applications, documents are gone; the request is a tombstone.
            Assert.False(await db.Applicants.AnyAsync(a => a.Id == subject.ApplicantId || a.Email == subject.Email));
            Assert.False(await db.Users.AnyAsync(u => u.Id == subject.UserId || u.Email == subject.Email));
            Assert.False(await db.Applications.AnyAsync(a => a.ApplicantId == subject.ApplicantId));
            Assert.False(await db.Documents.AnyAsync(d => d.BlobName == subject.BlobName));
            var tombstone = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == requestId);
            Assert.Null(tombstone.ApplicantId);
            Assert.Contains("documents=1", tombstone.ResultCounts);
            return true;
        });
        Assert.False(await BlobExistsAsync(subject.BlobName));
        // Hangfire's tables carry ids only.
        var hangfireText = await fixture.QueryAsync($"""
            SELECT count(*) FROM hangfire.job j
            WHERE j.invocationdata::text ILIKE '%{subject.Email}%' OR j.arguments::text ILIKE '%{subject.Email}%'
               OR EXISTS (SELECT 1 FROM hangfire.state s WHERE s.jobid = j.id AND s.data::text ILIKE '%{subject.Email}%')
               OR EXISTS (SELECT 1 FROM hangfire.jobparameter p WHERE p.jobid = j.id AND p.value ILIKE '%{subject.Email}%')
            """, r => r.GetInt64(0));
        Assert.Equal(0, hangfireText.Single());
    }

    private async Task<bool> BlobExistsAsync(string name)
    {
        var container = new BlobContainerClient(fixture.Settings["BlobStorage:Azure:ConnectionString"],
            fixture.Settings["BlobStorage:Azure:ContainerName"], AzureBlobStore.CreateClientOptions());
        return (await container.GetBlobClient(name).ExistsAsync()).Value;
    }

    /// <summary>The erasure job of this request being processed right now, and the Hangfire server running it.</summary>
    private (string JobId, string ServerId) ProcessingJobOf(Guid requestId)
    {
        var processing = fixture.Hangfire.GetMonitoringApi().ProcessingJobs(0, 100)
            .Where(j => j.Value.Job?.Type == typeof(ErasureJob) && j.Value.Job.Args[0] is Guid id && id == requestId)
            .Select(j => (j.Key, j.Value.ServerId)).ToList();
        return Assert.Single(processing);
    }

    private string? StateOf(string jobId)
    {
        using var connection = fixture.Hangfire.GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    /// <summary>The servers that processed the job, oldest first.</summary>
    private IReadOnlyList<string> ServersOf(string jobId) =>
        fixture.Hangfire.GetMonitoringApi().JobDetails(jobId).History.AsEnumerable().Reverse()
            .Where(h => h.StateName == "Processing" && h.Data.ContainsKey("ServerId")).Select(h => h.Data["ServerId"]).ToList();

    private Task<Guid> CreatePostingAsync() => fixture.WithDbAsync(async db =>
    {
        var posting = JobPosting.Create("Platform engineer", "Oslo", "Run the portal on many machines.", DateTimeOffset.UtcNow);
        posting.Open(DateTimeOffset.UtcNow);
        db.JobPostings.Add(posting);
        await db.SaveChangesAsync();
        return posting.Id;
    });

    private static Dictionary<string, string> ApplyFields(IHtmlDocument form, string action, string email)
    {
        var fields = form.QuerySelectorAll<IHtmlInputElement>($"form[action='{action}'] input[type=hidden]")
            .Where(i => !string.IsNullOrEmpty(i.Name) && i.Name != "__RequestVerificationToken")
            .ToDictionary(i => i.Name!, i => i.Value);
        fields["FullName"] = "Scale Outson";
        fields["Email"] = email;
        fields["Phone"] = "+47 400 00 000";
        fields["CoverLetter"] = "Two instances, one system.";
        fields["Password"] = Password;
        return fields;
    }

    /// <summary>What a load balancer does for a browser: the cookies one instance set are sent to the other.</summary>
    private static CookieContainer CopyCookies(CookieContainer from, PortalProcess source, PortalProcess target)
    {
        var to = new CookieContainer();
        foreach (Cookie cookie in from.GetCookies(source.Address))
            to.Add(target.Address, new Cookie(cookie.Name, cookie.Value, cookie.Path));
        return to;
    }
}
