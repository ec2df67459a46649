using System.Net;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Consent;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>The My data overview, the confirmed-email rule and ownership of every action.</summary>
public sealed class MyDataTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private Guid _posting;
    private (Guid Id, string Email, string Password) _recruiter;

    public async Task InitializeAsync()
    {
        _posting = await _portal.CreatePostingAsync("Data steward");
        _recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.AssignAsync(_posting, _recruiter.Id);
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task My_data_shows_everything_entered_with_consents_requests_and_who_looked()
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var fields = MyDataTestKit.ApplyFields("ada@example.test");
        fields["KeepForFutureOpenings"] = "true";
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.ApplyWithAsync(_posting, fields,
            new FormFile("Cv", "Ada CV.pdf", SampleFiles.Pdf(), "application/pdf"),
            new FormFile("FurtherDocuments", "Reference.docx", SampleFiles.Docx())));
        var application = await _portal.WithDbAsync(db => db.Applications.Include(a => a.Documents).SingleAsync());
        HttpAssert.Redirect("/my/applications", await _portal.FollowConfirmationLinkAsync(browser, "ada@example.test"));
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.PostFromMyDataAsync($"/my/applications/{application.Id}/object",
            new() { ["Reason"] = "Please stop using my references." }));

        var desk = await _portal.SignedInAsync(_recruiter.Email, _recruiter.Password);
        var candidate = await desk.GetPageAsync($"/candidates/{application.Id}");
        HttpAssert.Status(HttpStatusCode.OK, await desk.Client.GetAsync(
            candidate.QuerySelector($"a[href^='/candidates/{application.Id}/documents/']")!.GetAttribute("href")));

        var page = await browser.GetPageAsync("/my/data");
        Assert.NotNull(page.QuerySelector("nav a[href='/my/data']"));
        Assert.Equal("Ada Applicant", page.QuerySelector(".profile-name")!.TextContent.Trim());
        Assert.Equal("ada@example.test", page.QuerySelector(".profile-email")!.TextContent.Trim());
        Assert.Equal("+47 400 00 000", page.QuerySelector(".profile-phone")!.TextContent.Trim());
        Assert.Equal("Storgata 1, Oslo", page.QuerySelector(".profile-address")!.TextContent.Trim());
        Assert.Equal("confirmed", page.QuerySelector(".email-state")!.TextContent.Trim());
        Assert.Contains("Last sign-in", page.QuerySelector(".profile")!.TextContent);

        var article = page.QuerySelector($"article[data-application-id='{application.Id}']")!;
        Assert.Contains("Data steward", article.TextContent);
        Assert.Equal("Received", article.QuerySelector(".application-status")!.TextContent.Trim());
        // Dated at receipt (undecided, kept by the talent-pool consent from then).
        Assert.Equal(application.DeletionDueAt!.Value.UtcDateTime.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture),
            article.QuerySelector(".deletion-due")!.TextContent.Trim());
        Assert.Equal("Yes", article.QuerySelector(".talent-pool")!.TextContent.Trim());
        Assert.Equal("No", article.QuerySelector(".restricted")!.TextContent.Trim());
        Assert.Equal("I would love to build this with you.", article.QuerySelector(".cover-letter")!.TextContent.Trim());
        var documents = article.QuerySelectorAll(".documents a").Select(a => (a.TextContent, a.GetAttribute("href"))).ToList();
        Assert.Equal(application.Documents.OrderBy(d => d.Kind).Select(d => (d.OriginalFileName, (string?)$"/my/documents/{d.Id}")), documents);
        var looked = article.QuerySelectorAll(".access-log li").Select(l => l.TextContent).ToList();
        Assert.Equal(2, looked.Count);
        Assert.StartsWith("A recruiter downloaded your CV on ", looked[0]);
        Assert.StartsWith("A recruiter viewed your application on ", looked[1]);
        Assert.Contains("You have objected", article.QuerySelector(".objection-open")!.TextContent);

        var consent = Assert.Single(page.QuerySelectorAll(".consents tbody tr"));
        Assert.Contains(ConsentText.TalentPoolVersion, consent.TextContent);
        Assert.Contains("Data steward", consent.TextContent);
        Assert.Equal("active", consent.QuerySelector(".consent-withdrawn")!.TextContent.Trim());

        var request = Assert.Single(page.QuerySelectorAll(".requests tbody tr"));
        Assert.Contains("Objection (Data steward)", request.TextContent);
        Assert.Contains("Please stop using my references.", request.QuerySelector(".request-details")!.TextContent);
        Assert.Equal("Received", request.QuerySelector(".request-status")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("a[href='/my/data/delete']"));
        Assert.NotNull(page.QuerySelector("form[action='/my/data/access']"));

        // A moved date is shown as it moves.
        await _portal.WithDbAsync(db => db.Applications.ExecuteUpdateAsync(s =>
            s.SetProperty(a => a.DeletionDueAt, new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero))));
        Assert.Equal("1 June 2027", (await browser.GetPageAsync("/my/data")).QuerySelector(".deletion-due")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_completed_access_request_links_its_download_until_it_expires()
    {
        var (browser, _) = await _portal.ApplyAsync(_posting, "copy@example.test");
        var applicantId = await _portal.WithDbAsync(db => db.Applicants.Select(a => a.Id).SingleAsync());
        var (ready, expired) = (DataSubjectRequest.File(RequestType.Access, applicantId, DateTimeOffset.UtcNow.AddDays(-1)),
            DataSubjectRequest.File(RequestType.Access, applicantId, DateTimeOffset.UtcNow.AddDays(-20)));
        ready.AttachExport("exports/ready", 100, DateTimeOffset.UtcNow.AddDays(6));
        ready.Complete(DateTimeOffset.UtcNow.AddDays(-1));
        expired.AttachExport("exports/old", 100, DateTimeOffset.UtcNow.AddDays(-13));
        expired.Complete(DateTimeOffset.UtcNow.AddDays(-20));
        await _portal.WithDbAsync(db => { db.Requests.AddRange(ready, expired); return db.SaveChangesAsync(); });

        var page = await browser.GetPageAsync("/my/data");
        var link = Assert.Single(page.QuerySelectorAll("a.export-link"));
        Assert.Equal($"/my/data/exports/{ready.Id}", link.GetAttribute("href"));
    }

    [Fact]
    public async Task Rights_actions_need_a_confirmed_email_and_the_confirmation_mail_can_be_sent_again()
    {
        var (browser, id) = await _portal.ApplyAsync(_posting, "unconfirmed@example.test");
        // The apply mails go first, so none of them races the address being made unconfirmed.
        await Wait.UntilAsync(() => _portal.WithDbAsync(db => db.Notifications.AllAsync(n => n.SentAt != null)), "the apply mails");
        await _portal.UnconfirmEmailAsync("unconfirmed@example.test");
        var previous = ConfirmationMails();
        var page = await browser.GetPageAsync("/my/data");
        Assert.Equal("not confirmed", page.QuerySelector(".email-state")!.TextContent.Trim());
        Assert.Contains("not confirmed yet", page.QuerySelector(".unconfirmed-email")!.TextContent);
        Assert.Null(page.QuerySelector("form[action='/my/data/access']"));
        Assert.Null(page.QuerySelector($"form[action='/my/applications/{id}/restrict']"));

        foreach (var (action, form) in new (string, Dictionary<string, string>)[]
                 {
                     ("/my/data/access", []),
                     ($"/my/applications/{id}/restrict", new() { ["Ground"] = "ContestAccuracy" }),
                     ($"/my/applications/{id}/object", new() { ["Reason"] = "I object." }),
                 })
            Assert.Equal(SelfService.UnconfirmedRefusal, (await browser.PostAndFollowAsync(action, form)).ErrorText());
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Requests.CountAsync()));
        Assert.False(await _portal.WithDbAsync(db => db.Applications.AnyAsync(a => a.IsRestricted)));

        Assert.Contains("sent you a new confirmation link", (await browser.PostAndFollowAsync("/account/confirm-email/resend?returnUrl=%2Fmy%2Fdata")).MessageText());
        await Wait.UntilAsync(() => ConfirmationMails().Count == previous.Count + 1, "the confirmation mail sent again");
        var link = ConfirmationMails().Except(previous).Single().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http://localhost/account/confirm-email"));
        HttpAssert.Redirect("/my/data", await browser.ConfirmFromLinkAsync(link));

        Assert.Contains("preparing a copy", (await browser.PostAndFollowAsync("/my/data/access")).MessageText());
        var first = Assert.Single(await _portal.WithDbAsync(db => db.Requests.ToListAsync()));
        Assert.Equal(RequestType.Access, first.Type);
        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db => db.Requests.AnyAsync(r => r.Status == RequestStatus.Completed)),
            "the first export to complete");

        // While an access request is still open (its job not yet run), a second one is refused.
        await _portal.WithDbAsync(async db =>
        {
            db.Requests.Add(DataSubjectRequest.File(RequestType.Access, first.ApplicantId!.Value, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        var second = await browser.PostAndFollowAsync("/my/data/access");
        Assert.Contains("already being prepared", second.ErrorText());
        Assert.NotNull(second.QuerySelector(".access-pending"));
        Assert.Equal(2, await _portal.WithDbAsync(db => db.Requests.CountAsync()));

        List<string> ConfirmationMails() => _portal.MailFiles().Select(File.ReadAllText)
            .Where(m => m.Contains("Subject: Confirm your email address")).ToList();
    }

    [Fact]
    public async Task Every_action_on_someone_elses_application_answers_404_and_changes_nothing()
    {
        var (_, theirs) = await _portal.ApplyAsync(_posting, "owner@example.test");
        var other = await _portal.CreatePostingAsync("Other job");
        var (intruder, _) = await _portal.ApplyAsync(other, "intruder@example.test");
        await _portal.ConfirmEmailAsync("owner@example.test");
        await _portal.ConfirmEmailAsync("intruder@example.test");
        var cvBefore = await CvAsync(theirs);

        var attempts = new (string Action, Dictionary<string, string> Form, FormFile[]? Files)[]
        {
            ($"/my/applications/{theirs}/cv", [], [new FormFile("cv", "mine.pdf", SampleFiles.Pdf(), "application/pdf")]),
            ($"/my/applications/{theirs}/restrict", new() { ["Ground"] = "ContestAccuracy" }, null),
            ($"/my/applications/{theirs}/object", new() { ["Reason"] = "Not mine to object to." }, null),
            ($"/my/applications/{theirs}/talent-pool", [], null),
            ($"/my/applications/{theirs}/talent-pool/withdraw", [], null),
            ($"/my/applications/{Guid.NewGuid()}/restrict", new() { ["Ground"] = "ContestAccuracy" }, null),
        };
        foreach (var (action, form, files) in attempts)
            HttpAssert.Status(HttpStatusCode.NotFound, await intruder.PostFromMyDataAsync(action, form, files));

        var after = await _portal.WithDbAsync(db => db.Applications.SingleAsync(a => a.Id == theirs));
        Assert.False(after.IsRestricted);
        Assert.False(after.InTalentPool);
        Assert.Equal(cvBefore, await CvAsync(theirs));
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Requests.CountAsync()));
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Consents.CountAsync()));
        Assert.Equal(2, _portal.BlobFiles().Count);
    }

    private Task<Guid> CvAsync(Guid applicationId) =>
        _portal.WithDbAsync(db => db.Documents.Where(d => d.ApplicationId == applicationId && d.Kind == DocumentKind.Cv)
            .Select(d => d.Id).SingleAsync());
}
