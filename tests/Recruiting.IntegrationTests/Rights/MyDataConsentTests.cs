using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Audit;
using Recruiting.Core.Consent;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Privacy;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>Talent-pool consent: unticked on the apply form, one click on My data, one click from the mail without signing in.</summary>
public sealed class MyDataConsentTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private Guid _posting;

    public async Task InitializeAsync() => _posting = await _portal.CreatePostingAsync("Librarian");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Applies with the talent-pool box ticked; returns the signed-in browser and the application id.</summary>
    private async Task<(PortalBrowser Browser, Guid ApplicationId)> ApplyToPoolAsync(string email, Guid? posting = null)
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var fields = MyDataTestKit.ApplyFields(email);
        fields["KeepForFutureOpenings"] = "true";
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.ApplyWithAsync(posting ?? _posting, fields));
        HttpAssert.Redirect("/my/applications", await _portal.FollowConfirmationLinkAsync(browser, email));
        var id = await _portal.WithDbAsync(db => db.Applications.Where(a => a.Applicant.Email == email).Select(a => a.Id).SingleAsync());
        return (browser, id);
    }

    private Task<List<ConsentRecord>> ConsentsAsync() => _portal.WithDbAsync(db => db.Consents.OrderBy(c => c.GivenAt).ToListAsync());

    private Task<bool> InPoolAsync(Guid applicationId) =>
        _portal.WithDbAsync(db => db.Applications.Where(a => a.Id == applicationId).Select(a => a.InTalentPool).SingleAsync());

    [Fact]
    public async Task The_apply_form_asks_separately_and_unticked_and_only_a_ticked_box_records_consent_with_its_text_version()
    {
        var form = await new PortalBrowser(_portal.CreateBrowserClient()).GetPageAsync($"/postings/{_posting}/apply");
        var box = form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input#KeepForFutureOpenings")!;
        Assert.Equal("checkbox", box.Type);
        Assert.False(box.IsChecked);
        Assert.Equal(ConsentText.TalentPool, form.QuerySelector("label[for=KeepForFutureOpenings]")!.TextContent.Trim());

        var (_, unticked) = await _portal.ApplyAsync(_posting, "no-pool@example.test");
        Assert.Empty(await ConsentsAsync());
        Assert.False(await InPoolAsync(unticked));

        var (_, ticked) = await ApplyToPoolAsync("pool@example.test");
        var consent = Assert.Single(await ConsentsAsync());
        Assert.Equal((ticked, ConsentPurpose.TalentPool, ConsentText.TalentPoolVersion, (DateTimeOffset?)null),
            (consent.ApplicationId!.Value, consent.Purpose, consent.TextVersion, consent.WithdrawnAt));
        Assert.True(await InPoolAsync(ticked));
        Assert.True(await _portal.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == AuditAction.ConsentGiven && e.ApplicationId == ticked)));
    }

    [Fact]
    public async Task My_data_withdraws_and_gives_consent_with_one_click_each_keeping_every_record()
    {
        var (browser, id) = await ApplyToPoolAsync("clicks@example.test");

        var page = await browser.PostAndFollowAsync($"/my/applications/{id}/talent-pool/withdraw");
        Assert.Contains("Your consent is withdrawn", page.MessageText());
        Assert.NotEqual("active", page.QuerySelector(".consent-withdrawn")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector($"form[action='/my/applications/{id}/talent-pool']"));
        Assert.NotNull(Assert.Single(await ConsentsAsync()).WithdrawnAt);
        Assert.False(await InPoolAsync(id));

        await browser.PostAndFollowAsync($"/my/applications/{id}/talent-pool");
        var records = await ConsentsAsync();
        Assert.Equal(2, records.Count);
        Assert.NotNull(records[0].WithdrawnAt);
        Assert.Null(records[1].WithdrawnAt);
        Assert.True(await InPoolAsync(id));

        // A second click changes nothing.
        await browser.PostAndFollowAsync($"/my/applications/{id}/talent-pool");
        Assert.Equal(2, (await ConsentsAsync()).Count);
        var actions = await _portal.WithDbAsync(db => db.AuditEvents.Where(e => e.ApplicationId == id).Select(e => e.Action).ToListAsync());
        Assert.Equal([AuditAction.ConsentGiven, AuditAction.ConsentWithdrawn, AuditAction.ConsentGiven],
            actions.Where(a => a is AuditAction.ConsentGiven or AuditAction.ConsentWithdrawn));
    }

    [Fact]
    public async Task Opening_a_posting_mails_the_pool_once_and_the_mailed_link_withdraws_consent_without_signing_in()
    {
        var (_, pooled) = await ApplyToPoolAsync("pooled@example.test");
        await _portal.ApplyAsync(_posting, "not-pooled@example.test");
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var opening = await _portal.CreatePostingAsync("Night archivist", open: false);

        HttpAssert.Status(HttpStatusCode.Redirect, await hr.SubmitAsync("/manage/postings", $"/manage/postings/{opening}/open", new Dictionary<string, string>()));
        await Wait.UntilAsync(() => OpeningMails().Count == 1, "the new-opening mail");
        var mail = OpeningMails().Single();
        Assert.Contains("To: pooled@example.test", mail);
        Assert.Contains($"http://localhost/postings/{opening}", mail);

        // Closing and opening again mails nobody twice.
        await hr.SubmitAsync("/manage/postings", $"/manage/postings/{opening}/close", new Dictionary<string, string>());
        await hr.SubmitAsync("/manage/postings", $"/manage/postings/{opening}/open", new Dictionary<string, string>());
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.NewOpening)));

        var link = mail.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http://localhost/consent/opt-out?token="));
        var path = link["http://localhost".Length..];
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        var confirm = await visitor.GetPageAsync(path);
        Assert.NotNull(confirm.QuerySelector("form[action='/consent/opt-out'] button[type=submit]"));
        Assert.Null(Assert.Single(await ConsentsAsync()).WithdrawnAt); // a prefetching mail scanner changes nothing

        var response = await visitor.SubmitAsync(path, "/consent/opt-out", new Dictionary<string, string>());
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.Contains("Consent withdrawn", (await visitor.GetPageAsync(response.Headers.Location!.OriginalString)).Body!.TextContent);
        Assert.NotNull(Assert.Single(await ConsentsAsync()).WithdrawnAt);
        Assert.False(await InPoolAsync(pooled));
        Assert.True(await _portal.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == AuditAction.ConsentWithdrawn && e.ApplicationId == pooled)));

        // Out of the pool: the next opening mails nobody.
        var next = await _portal.CreatePostingAsync("Day archivist", open: false);
        await hr.SubmitAsync("/manage/postings", $"/manage/postings/{next}/open", new Dictionary<string, string>());
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.NewOpening)));

        List<string> OpeningMails() => _portal.MailFiles().Select(File.ReadAllText).Where(m => m.Contains("Subject: New opening: Night archivist")).ToList();
    }

    [Fact]
    public async Task A_tampered_expired_or_foreign_token_is_refused_and_changes_nothing()
    {
        await ApplyToPoolAsync("tokens@example.test");
        var applicantId = await _portal.WithDbAsync(db => db.Applicants.Select(a => a.Id).SingleAsync());
        var protection = _portal.Services.GetRequiredService<IDataProtectionProvider>();
        var valid = _portal.Services.GetRequiredService<OptOutLinks>().CreateToken(applicantId);
        var tampered = valid[..20] + (valid[20] == 'A' ? 'B' : 'A') + valid[21..];
        var expired = new OptOutLinks(protection, Options.Create(new PrivacyOptions { OptOutLinkDays = 60 }),
            new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-61))).CreateToken(applicantId);
        var foreign = protection.CreateProtector("Some.Other.Purpose").ToTimeLimitedDataProtector()
            .Protect(applicantId.ToString("N"), DateTimeOffset.UtcNow.AddDays(1));

        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        var antiforgery = PortalBrowser.AntiforgeryToken(await visitor.GetPageAsync("/account/login"), "/account/login");
        foreach (var token in new[] { tampered, expired, foreign, "", "not-a-token" })
        {
            var page = await visitor.GetPageAsync($"/consent/opt-out?token={Uri.EscapeDataString(token)}");
            Assert.Contains("This link does not work", page.Body!.TextContent);
            Assert.NotNull(page.QuerySelector("a[href='/account/login?returnUrl=/my/data']"));
            Assert.Null(page.QuerySelector("form[action='/consent/opt-out']"));
            var posted = await visitor.PostAsync("/consent/opt-out", antiforgery, new Dictionary<string, string> { ["Token"] = token });
            HttpAssert.Status(HttpStatusCode.OK, posted);
            Assert.Contains("This link does not work", await posted.Content.ReadAsStringAsync());
        }
        Assert.Null(Assert.Single(await ConsentsAsync()).WithdrawnAt);

        // Without the antiforgery token even a valid link's form is refused.
        HttpAssert.Status(HttpStatusCode.BadRequest, await visitor.PostAsync("/consent/opt-out", null, new Dictionary<string, string> { ["Token"] = valid }));
        Assert.Null(Assert.Single(await ConsentsAsync()).WithdrawnAt);
    }

    [Fact]
    public async Task A_new_opening_mail_is_not_sent_once_consent_was_withdrawn_meanwhile()
    {
        var (browser, id) = await ApplyToPoolAsync("meanwhile@example.test");
        var opening = await _portal.CreatePostingAsync("Curator");
        var userId = await _portal.WithDbAsync(db => db.Applicants.Select(a => a.UserId).SingleAsync());
        await browser.PostAndFollowAsync($"/my/applications/{id}/talent-pool/withdraw");
        var notification = Notification.NewOpening(userId, opening, DateTimeOffset.UtcNow);
        await _portal.WithDbAsync(db => { db.Notifications.Add(notification); return db.SaveChangesAsync(); });

        await using (var scope = _portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<NotificationJob>().SendAsync(notification.Id, CancellationToken.None);

        Assert.NotNull(await _portal.WithDbAsync(db => db.Notifications.Where(n => n.Id == notification.Id).Select(n => n.SentAt).SingleAsync()));
        Assert.DoesNotContain(_portal.MailFiles().Select(File.ReadAllText), m => m.Contains("Subject: New opening"));
    }
}
