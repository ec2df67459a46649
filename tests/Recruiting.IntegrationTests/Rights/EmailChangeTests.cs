using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Audit;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;
using Recruiting.Web.Controllers;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>
/// Changing the account's email address (the sign-in name) takes two steps: a form with the current password, then the
/// button on the page a link mailed to the new address opens. The current address is told; nothing changes before the
/// button; the form answers alike for an address another account holds.
/// </summary>
public sealed partial class EmailChangeTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private readonly PortalFactory _portal = new();
    private Guid _posting;

    public async Task InitializeAsync() => _posting = await _portal.CreatePostingAsync("Archivist");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static Dictionary<string, string> Change(string newEmail, string password = Password) =>
        new() { ["NewEmail"] = newEmail, ["CurrentPassword"] = password };

    private Task<AppUser> UserAsync(Guid id) => _portal.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == id));

    private Task<Guid> UserIdAsync(string email) =>
        _portal.WithDbAsync(db => db.Users.Where(u => u.NormalizedEmail == email.ToUpperInvariant()).Select(u => u.Id).SingleAsync());

    /// <summary>The one mail to <paramref name="to"/> with this subject, once the job has written it.</summary>
    private async Task<string> MailAsync(string to, string subject)
    {
        string? mail = null;
        await Wait.UntilAsync(() => (mail = _portal.MailFiles().Select(File.ReadAllText)
            .SingleOrDefault(m => m.Contains($"To: {to}\r\n") && m.Contains($"Subject: {subject}\r\n"))) is not null, $"the mail \"{subject}\" to {to}");
        return mail!;
    }

    private static string ConfirmLink(string mail) => new Uri(ConfirmLinkPattern().Match(mail).Value).PathAndQuery;

    [GeneratedRegex(@"https?://\S+/account/email/confirm\?\S+")]
    private static partial Regex ConfirmLinkPattern();

    private async Task<bool> CanSignInAsync(string email)
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var response = await browser.SubmitAsync("/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        return response.StatusCode == HttpStatusCode.Redirect;
    }

    [Fact]
    public async Task The_address_changes_only_when_the_mailed_link_is_confirmed_and_then_other_sessions_end()
    {
        var (browser, applicationId) = await _portal.ApplyAsync(_posting, "old.address@example.test");
        var other = await _portal.SignedInAsync("old.address@example.test", Password);
        var userId = await UserIdAsync("old.address@example.test");
        var form = await browser.GetPageAsync("/my/data/email");
        Assert.Equal("old.address@example.test", form.QuerySelector(".current-email")!.TextContent.Trim());

        // A wrong current password is refused and counts towards lockout, like a sign-in.
        var wrong = await browser.SubmitAsync("/my/data/email", "/my/data/email", Change("New.Address@example.test", "not my password at all"));
        HttpAssert.Status(HttpStatusCode.OK, wrong);
        Assert.Contains("The current password is not right", (await PortalBrowser.ParseAsync(wrong)).Body!.TextContent);
        var afterWrong = await UserAsync(userId);
        Assert.Equal((1, (string?)null), (afterWrong.AccessFailedCount, afterWrong.PendingEmail));

        HttpAssert.Redirect("/my/data", await browser.SubmitAsync("/my/data/email", "/my/data/email", Change("New.Address@example.test")));
        var page = await browser.GetPageAsync("/my/data");
        Assert.Equal(MyDataController.EmailChangeRequested, page.MessageText());
        Assert.Contains("New.Address@example.test", page.QuerySelector(".pending-email")!.TextContent);

        // Nothing has changed yet but the pending address.
        var pending = await UserAsync(userId);
        Assert.Equal(("old.address@example.test", "old.address@example.test", true, "New.Address@example.test"),
            (pending.Email, pending.UserName, pending.EmailConfirmed, pending.PendingEmail));
        Assert.Equal("old.address@example.test", await _portal.WithDbAsync(db => db.Applicants.Select(a => a.Email).SingleAsync()));

        // The new address gets the link (ids and a token only); the old one a notice naming the new address masked.
        var confirmation = await MailAsync("New.Address@example.test", "Confirm your new email address");
        var link = ConfirmLink(confirmation);
        Assert.StartsWith($"/account/email/confirm?userId={userId}&code=", link);
        Assert.DoesNotContain("@", Uri.UnescapeDataString(link));
        var notice = await MailAsync("old.address@example.test", "A change of your email address was requested");
        Assert.Contains("N***@example.test", notice);
        Assert.DoesNotContain("New.Address@example.test", notice.Split("\r\n\r\n", 2)[1]);
        Assert.Contains("/account/forgot-password", notice);
        Assert.True(await CanSignInAsync("old.address@example.test"));
        Assert.False(await CanSignInAsync("New.Address@example.test"));

        // Opening the link (as a mail scanner does) changes nothing; only the page's button does.
        var linkPage = await browser.GetPageAsync(link);
        Assert.NotNull(linkPage.QuerySelector("form[action='/account/email/confirm'] button[type=submit]"));
        Assert.Equal("old.address@example.test", (await UserAsync(userId)).Email);

        // The button waits for the notice to the old address to have gone out.
        var noticeId = await _portal.WithDbAsync(db => db.Notifications.Where(n => n.Kind == NotificationKind.EmailChangeNotice).Select(n => n.Id).SingleAsync());
        var sentAt = await _portal.WithDbAsync(db => db.Notifications.Where(n => n.Id == noticeId).Select(n => n.SentAt).SingleAsync());
        await _portal.WithDbAsync(db => db.Notifications.Where(n => n.Id == noticeId).ExecuteUpdateAsync(s => s.SetProperty(n => n.SentAt, (DateTimeOffset?)null)));
        var early = await browser.SubmitAsync(link, "/account/email/confirm", new Dictionary<string, string>());
        HttpAssert.Status(HttpStatusCode.OK, early);
        Assert.Contains("still sending a notice", (await PortalBrowser.ParseAsync(early)).Body!.TextContent);
        Assert.Equal("old.address@example.test", (await UserAsync(userId)).Email);
        await _portal.WithDbAsync(db => db.Notifications.Where(n => n.Id == noticeId).ExecuteUpdateAsync(s => s.SetProperty(n => n.SentAt, sentAt)));

        HttpAssert.Redirect("/my/data", await browser.SubmitAsync(link, "/account/email/confirm", new Dictionary<string, string>()));
        var changed = await UserAsync(userId);
        Assert.Equal(("New.Address@example.test", "New.Address@example.test", true, (string?)null),
            (changed.Email, changed.UserName, changed.EmailConfirmed, changed.PendingEmail));
        Assert.NotEqual(pending.SecurityStamp, changed.SecurityStamp);
        Assert.Equal("new.address@example.test", await _portal.WithDbAsync(db => db.Applicants.Select(a => a.Email).SingleAsync()));
        var corrected = await _portal.WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.Action == AuditAction.ContactDetailsCorrected));
        Assert.Equal("fields=Email", corrected.Counts);

        // This session goes on; the other one has ended; only the new address signs in.
        Assert.Contains("Your email address is changed", (await browser.GetPageAsync("/my/data")).MessageText());
        Assert.Equal("new.address@example.test", (await browser.GetPageAsync("/my/data")).QuerySelector(".profile-email")!.TextContent.Trim());
        HttpAssert.Redirect("/account/login", await other.Client.GetAsync("/my/data"));
        Assert.False(await CanSignInAsync("old.address@example.test"));
        Assert.True(await CanSignInAsync("New.Address@example.test"));

        // The link works once.
        var again = await new PortalBrowser(_portal.CreateBrowserClient()).SubmitAsync(link, "/account/email/confirm", new Dictionary<string, string>());
        HttpAssert.Status(HttpStatusCode.OK, again);
        Assert.Contains("has not changed", (await PortalBrowser.ParseAsync(again)).Body!.TextContent);
        Assert.Equal(applicationId, await _portal.WithDbAsync(db => db.Applications.Select(a => a.Id).SingleAsync()));
    }

    [Fact]
    public async Task The_form_answers_alike_for_an_address_another_account_holds_and_only_that_address_is_told()
    {
        await _portal.ApplyAsync(_posting, "taken@example.test");
        var (browser, _) = await _portal.ApplyAsync(await _portal.CreatePostingAsync("Other"), "mine@example.test");
        var mine = await UserIdAsync("mine@example.test");

        var free = await browser.SubmitAsync("/my/data/email", "/my/data/email", Change("free@example.test"));
        var freePage = await browser.GetPageAsync("/my/data");
        // A newer request replaces the pending address before its mail is made: let the first one's mails go out.
        await MailAsync("free@example.test", "Confirm your new email address");
        await MailAsync("mine@example.test", "A change of your email address was requested");

        var taken = await browser.SubmitAsync("/my/data/email", "/my/data/email", Change("TAKEN@example.test"));
        var takenPage = await browser.GetPageAsync("/my/data");
        Assert.Equal((free.StatusCode, free.Headers.Location), (taken.StatusCode, taken.Headers.Location));
        Assert.Equal(freePage.MessageText(), takenPage.MessageText());
        Assert.DoesNotContain("already", takenPage.Body!.TextContent);
        Assert.Equal("TAKEN@example.test", (await UserAsync(mine)).PendingEmail);

        // The holder of the address is told instead of getting a link; the old address gets its notice as before.
        var told = await MailAsync("TAKEN@example.test", "This address already has an account with us");
        Assert.DoesNotContain("/account/email/confirm", told);
        await Wait.UntilAsync(() => _portal.MailFiles().Select(File.ReadAllText).Count(m => m.Contains("To: mine@example.test\r\n")
            && m.Contains("Subject: A change of your email address was requested")) == 2, "the second notice");
        var user = await UserAsync(mine);
        Assert.Equal(("mine@example.test", "mine@example.test"), (user.Email, user.UserName));
        Assert.Equal("taken@example.test", (await UserAsync(await UserIdAsync("taken@example.test"))).Email);
    }

    [Fact]
    public async Task Confirming_an_address_another_account_took_meanwhile_fails_with_nothing_changed()
    {
        var (browser, _) = await _portal.ApplyAsync(_posting, "mover@example.test");
        var mover = await UserIdAsync("mover@example.test");
        HttpAssert.Redirect("/my/data", await browser.SubmitAsync("/my/data/email", "/my/data/email", Change("contested@example.test")));
        var link = ConfirmLink(await MailAsync("contested@example.test", "Confirm your new email address"));
        await MailAsync("mover@example.test", "A change of your email address was requested");

        await _portal.ApplyAsync(await _portal.CreatePostingAsync("Other"), "contested@example.test");
        var before = await UserAsync(mover);

        var refused = await browser.SubmitAsync(link, "/account/email/confirm", new Dictionary<string, string>());
        HttpAssert.Status(HttpStatusCode.OK, refused);
        Assert.Contains("cannot be used for your account", (await PortalBrowser.ParseAsync(refused)).Body!.TextContent);
        var after = await UserAsync(mover);
        Assert.Equal((before.Email, before.UserName, before.SecurityStamp), (after.Email, after.UserName, after.SecurityStamp));
        Assert.Equal("mover@example.test", after.Email);
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == "CONTESTED@EXAMPLE.TEST")));
        HttpAssert.Status(HttpStatusCode.OK, await browser.Client.GetAsync("/my/data")); // still signed in
    }

    [Fact]
    public async Task Resetting_the_password_drops_a_pending_change_and_its_link()
    {
        var (browser, _) = await _portal.ApplyAsync(_posting, "owner@example.test");
        var owner = await UserIdAsync("owner@example.test");
        HttpAssert.Redirect("/my/data", await browser.SubmitAsync("/my/data/email", "/my/data/email", Change("intruder@example.test")));
        var link = ConfirmLink(await MailAsync("intruder@example.test", "Confirm your new email address"));
        await MailAsync("owner@example.test", "A change of your email address was requested");

        // The owner follows the notice's advice: "Forgot your password?", then the link mailed to the current address.
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        await visitor.SubmitAsync("/account/forgot-password", "/account/forgot-password", new Dictionary<string, string> { ["Email"] = "owner@example.test" });
        var reset = new Uri(Regex.Match(await MailAsync("owner@example.test", "Reset your password"), @"https?://\S+/account/set-password\?\S+").Value).PathAndQuery;
        HttpAssert.Redirect("/account/login", await visitor.SubmitAsync(reset, "/account/set-password",
            new Dictionary<string, string> { ["Password"] = "a brand new passphrase 2026" }));
        Assert.Null((await UserAsync(owner)).PendingEmail);

        var refused = await visitor.SubmitAsync(link, "/account/email/confirm", new Dictionary<string, string>());
        Assert.Contains("has not changed", (await PortalBrowser.ParseAsync(refused)).Body!.TextContent);
        Assert.Equal("owner@example.test", (await UserAsync(owner)).Email);
    }

    [Fact]
    public async Task A_signed_in_jobseekers_apply_form_shows_the_accounts_name_and_address_and_ignores_posted_ones()
    {
        var (browser, _) = await _portal.ApplyAsync(_posting, "ada@example.test", "Ada Applicant");
        var second = await _portal.CreatePostingAsync("Second");
        var url = $"/postings/{second}/apply";

        var form = await browser.GetPageAsync(url);
        Assert.Null(form.QuerySelector("form input[name=Email]"));
        Assert.Null(form.QuerySelector("form input[name=FullName]"));
        Assert.Equal("ada@example.test", form.QuerySelector(".account-email")!.TextContent.Trim());
        Assert.Equal("Ada Applicant", form.QuerySelector(".account-name")!.TextContent.Trim());
        Assert.Equal("+47 400 00 000", form.QuerySelector<IHtmlInputElement>("#Phone")!.Value);

        var submitted = await browser.SubmitAsync(url, url, new Dictionary<string, string>
        {
            ["FullName"] = "Mallory Other", ["Email"] = "mallory@example.test", ["Phone"] = "+47 911 22 333", ["CoverLetter"] = "Again.",
        }, [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf")]);
        HttpAssert.Status(HttpStatusCode.Redirect, submitted);

        var applicant = await _portal.WithDbAsync(db => db.Applicants.AsNoTracking().SingleAsync());
        Assert.Equal(("Ada Applicant", "ada@example.test", "+47 911 22 333"), (applicant.FullName, applicant.Email, applicant.Phone));
        Assert.Equal(2, await _portal.WithDbAsync(db => db.Applications.CountAsync(a => a.ApplicantId == applicant.Id)));
        Assert.False(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.NormalizedEmail == "MALLORY@EXAMPLE.TEST")));

        // A refused form shows the account's values again, not the posted ones.
        var third = $"/postings/{await _portal.CreatePostingAsync("Third")}/apply";
        var refused = await browser.SubmitAsync(third, third, new Dictionary<string, string>
        {
            ["FullName"] = "Mallory Other", ["Email"] = "mallory@example.test", ["Phone"] = "+47 911 22 333", ["CoverLetter"] = "",
        });
        HttpAssert.Status(HttpStatusCode.OK, refused);
        var again = await PortalBrowser.ParseAsync(refused);
        Assert.Equal("ada@example.test", again.QuerySelector(".account-email")!.TextContent.Trim());
        Assert.Equal("Ada Applicant", again.QuerySelector(".account-name")!.TextContent.Trim());
        Assert.DoesNotContain("mallory", again.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A pending address lives as long as its link: after that the link fails and housekeeping clears the address.</summary>
public sealed class EmailChangeExpiryTests : IDisposable
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory _portal;

    public EmailChangeExpiryTests() => _portal = DeskTestKit.PortalOn(_clock);

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task After_a_day_the_link_no_longer_works_and_the_retention_run_clears_the_pending_address()
    {
        var (browser, _) = await _portal.ApplyAsync(await _portal.CreatePostingAsync(), "slow@example.test");
        HttpAssert.Redirect("/my/data", await browser.SubmitAsync("/my/data/email", "/my/data/email",
            new Dictionary<string, string> { ["NewEmail"] = "later@example.test", ["CurrentPassword"] = "correct horse battery staple" }));
        string? mail = null;
        await Wait.UntilAsync(() => (mail = _portal.MailFiles().Select(File.ReadAllText)
            .SingleOrDefault(m => m.Contains("To: later@example.test\r\n"))) is not null, "the confirmation mail");
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(mail!, @"https?://\S+/account/email/confirm\?\S+").Value).PathAndQuery;
        await Wait.UntilAsync(() => _portal.MailFiles().Select(File.ReadAllText)
            .Any(m => m.Contains("To: slow@example.test\r\n") && m.Contains("Subject: A change of your email address")), "the notice");

        _clock.Advance(TimeSpan.FromHours(25));
        var late = await browser.SubmitAsync(link, "/account/email/confirm", new Dictionary<string, string>());
        Assert.Contains("has not changed", (await PortalBrowser.ParseAsync(late)).Body!.TextContent);

        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var housekeeping = scope.ServiceProvider.GetRequiredService<Recruiting.Core.Retention.Housekeeping>();
            Assert.Equal(1, (await housekeeping.RunAsync(dryRun: true, CancellationToken.None))["expiredEmailChanges"]);
            Assert.Equal(1, (await housekeeping.RunAsync(dryRun: false, CancellationToken.None))["expiredEmailChanges"]);
        }
        var user = await _portal.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.NormalizedEmail == "SLOW@EXAMPLE.TEST"));
        Assert.Equal(((string?)null, (DateTimeOffset?)null), (user.PendingEmail, user.PendingEmailRequestedAt));
        Assert.Null((await browser.GetPageAsync("/my/data")).QuerySelector(".pending-email"));
    }
}
