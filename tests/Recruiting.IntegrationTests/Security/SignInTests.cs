using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Identity;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Web.Controllers;
using Xunit.Abstractions;

namespace Recruiting.IntegrationTests.Security;

/// <summary>Lockout that grows, password rules, answers that do not tell whether an account exists,
/// and a password change or reset that ends every other session.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly CountingPasswordHasher _hasher = new();
    private readonly PortalFactory _portal;
    private readonly ITestOutputHelper _output;

    public SignInTests(ITestOutputHelper output)
    {
        _output = output;
        _portal = new PortalFactory
        {
            TestServices = services =>
            {
                services.AddSingleton<TimeProvider>(_clock);
                services.AddSingleton<IPasswordHasher<AppUser>>(_hasher);
            },
        };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private Task<HttpResponseMessage> SignInAsync(PortalBrowser browser, string email, string password) =>
        browser.SubmitAsync("/account/login", "/account/login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });

    private Task<AppUser> UserAsync(string email) =>
        _portal.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));

    private static async Task<string> MainTextAsync(HttpResponseMessage response) =>
        (await PortalBrowser.ParseAsync(response)).QuerySelector("main")!.TextContent.Trim();

    /// <summary>Databases keep times to the millisecond or microsecond.</summary>
    private static void AssertAbout(DateTimeOffset expected, DateTimeOffset? actual) =>
        Assert.InRange(actual!.Value, expected - TimeSpan.FromMilliseconds(1), expected + TimeSpan.FromMilliseconds(1));

    [Fact]
    public async Task Six_wrong_passwords_lock_the_account_and_each_lockout_in_a_row_lasts_longer()
    {
        var staff = await _portal.CreateStaffAsync(Roles.Recruiter);
        var browser = new PortalBrowser(_portal.CreateBrowserClient());

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await SignInAsync(browser, staff.Email, "not the password " + attempt);
            HttpAssert.Status(HttpStatusCode.OK, wrong);
            Assert.Contains(AccountController.SignInRefused, await wrong.Content.ReadAsStringAsync());
        }
        var hashesBefore = _hasher.Verifications;
        var sixth = await SignInAsync(browser, staff.Email, staff.Password);
        HttpAssert.Status(HttpStatusCode.OK, sixth); // refused although right: locked
        Assert.Contains(AccountController.SignInRefused, await sixth.Content.ReadAsStringAsync());
        Assert.Equal(hashesBefore + 1, _hasher.Verifications); // a locked account answers as slowly as a wrong password
        var user = await UserAsync(staff.Email);
        AssertAbout(_clock.GetUtcNow() + TimeSpan.FromMinutes(1), user.LockoutEnd);
        Assert.Equal(1, user.ConsecutiveLockouts);

        // The minute passes; five more wrong passwords lock it for five minutes, and after the minute it is still locked.
        _clock.Advance(TimeSpan.FromSeconds(61));
        for (var attempt = 1; attempt <= 5; attempt++)
            HttpAssert.Status(HttpStatusCode.OK, await SignInAsync(browser, staff.Email, "still not it " + attempt));
        user = await UserAsync(staff.Email);
        AssertAbout(_clock.GetUtcNow() + TimeSpan.FromMinutes(5), user.LockoutEnd);
        Assert.Equal(2, user.ConsecutiveLockouts);
        _clock.Advance(TimeSpan.FromSeconds(61));
        HttpAssert.Status(HttpStatusCode.OK, await SignInAsync(browser, staff.Email, staff.Password));

        // Once it is over, the right password signs in and the next lockout starts again at one minute.
        _clock.Advance(TimeSpan.FromMinutes(4));
        HttpAssert.Status(HttpStatusCode.Redirect, await SignInAsync(browser, staff.Email, staff.Password));
        user = await UserAsync(staff.Email);
        Assert.Equal((0, 0), (user.ConsecutiveLockouts, user.AccessFailedCount));
        Assert.Equal([1, 5, 15, 60, 60, 60], Enumerable.Range(1, 6).Select(n => (int)AppUserManager.LockoutFor(n).TotalMinutes));
    }

    [Fact]
    public async Task Sign_in_answers_an_unknown_address_as_it_answers_a_wrong_password_and_hashes_for_both()
    {
        var staff = await _portal.CreateStaffAsync(Roles.HR);
        var browser = new PortalBrowser(_portal.CreateBrowserClient());

        var before = _hasher.Verifications;
        var unknown = await SignInAsync(browser, "nobody-here@staff.test", "some password guess");
        Assert.Equal(before + 1, _hasher.Verifications);
        before = _hasher.Verifications;
        var wrong = await SignInAsync(browser, staff.Email, "some password guess");
        Assert.Equal(before + 1, _hasher.Verifications);

        Assert.Equal(unknown.StatusCode, wrong.StatusCode);
        Assert.Equal((await MainTextAsync(unknown)).Replace("nobody-here@staff.test", "EMAIL"), (await MainTextAsync(wrong)).Replace(staff.Email, "EMAIL"));

        // Measured, not asserted (the machine is shared): the sign-in post alone, 8 of each, interleaved; the wrong
        // passwords spread over two accounts so neither locks.
        var second = await _portal.CreateStaffAsync(Roles.HR);
        var token = PortalBrowser.AntiforgeryToken(await browser.GetPageAsync("/account/login"), "/account/login");
        var times = new Dictionary<string, List<double>> { ["unknown"] = [], ["wrong"] = [] };
        for (var i = 0; i < 8; i++)
            foreach (var (name, email) in new[] { ("unknown", "nobody-here@staff.test"), ("wrong", i % 2 == 0 ? staff.Email : second.Email) })
            {
                var watch = Stopwatch.StartNew();
                await browser.PostAsync("/account/login", token, new Dictionary<string, string> { ["Email"] = email, ["Password"] = "timing guess " + i });
                times[name].Add(watch.Elapsed.TotalMilliseconds);
            }
        foreach (var (name, list) in times)
            _output.WriteLine($"{name}: median {list.Order().ElementAt(list.Count / 2):F1} ms of {string.Join(", ", list.Select(t => t.ToString("F0")))}");
    }

    [Fact]
    public async Task Forgot_password_answers_the_same_for_any_address_and_its_link_sets_a_new_password_ending_other_sessions()
    {
        var staff = await _portal.CreateStaffAsync(Roles.Recruiter);
        var elsewhere = await _portal.SignedInAsync(staff.Email, staff.Password);

        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        var forUnknown = await visitor.SubmitAsync("/account/forgot-password", "/account/forgot-password",
            new Dictionary<string, string> { ["Email"] = "nobody-here@staff.test" });
        var forKnown = await visitor.SubmitAsync("/account/forgot-password", "/account/forgot-password",
            new Dictionary<string, string> { ["Email"] = staff.Email });
        HttpAssert.Status(HttpStatusCode.OK, forUnknown);
        HttpAssert.Status(HttpStatusCode.OK, forKnown);
        Assert.Equal(await MainTextAsync(forUnknown), await MainTextAsync(forKnown));
        Assert.Contains("Check your mailbox", await MainTextAsync(forKnown));

        await Wait.UntilAsync(() => _portal.MailFiles().Any(f => File.ReadAllText(f).Contains("To: " + staff.Email)), "the reset mail");
        var mails = _portal.MailFiles().Select(File.ReadAllText).ToList();
        Assert.DoesNotContain(mails, m => m.Contains("nobody-here@staff.test"));
        var link = mails.Single(m => m.Contains("To: " + staff.Email))
            .Split('\n').Select(l => l.Trim()).Single(l => l.Contains("/account/set-password"))["http://localhost".Length..];
        HttpAssert.Status(HttpStatusCode.Redirect, await visitor.SubmitAsync(link, "/account/set-password",
            new Dictionary<string, string> { ["Password"] = "my brand new passphrase" }));

        HttpAssert.Status(HttpStatusCode.Redirect, await elsewhere.Client.GetAsync("/account/password")); // signed out at once
        HttpAssert.Status(HttpStatusCode.OK, await SignInAsync(visitor, staff.Email, staff.Password));
        HttpAssert.Status(HttpStatusCode.Redirect, await SignInAsync(visitor, staff.Email, "my brand new passphrase"));
    }

    [Fact]
    public async Task Passwords_are_12_to_128_characters_and_not_among_the_common_ones()
    {
        Assert.True(PasswordRules.CommonPasswordCount >= 10_000, $"Only {PasswordRules.CommonPasswordCount} common passwords.");
        Assert.True(PasswordRules.IsCommon("1qaz2wsx3edc") && PasswordRules.IsCommon("1QAZ2WSX3EDC") && PasswordRules.IsCommon("password"));

        var staff = await _portal.CreateStaffAsync(Roles.Recruiter);
        var browser = await _portal.SignedInAsync(staff.Email, staff.Password);
        var current = staff.Password;

        async Task<HttpResponseMessage> ChangeAsync(string next) =>
            await browser.SubmitAsync("/account/password", "/account/password", new Dictionary<string, string>
            {
                ["CurrentPassword"] = current, ["NewPassword"] = next, ["ConfirmNewPassword"] = next,
            });

        foreach (var (refused, why) in new[]
                 {
                     ("eleven char", "minimum length of 12"), ("1QAZ2WSX3EDC", "most common"), ("Q1W2E3R4T5Y6", "most common"),
                     (new string('x', 129), "maximum length of 128"),
                 })
        {
            var response = await ChangeAsync(refused);
            HttpAssert.Status(HttpStatusCode.OK, response);
            Assert.Contains(why, await response.Content.ReadAsStringAsync());
        }
        foreach (var accepted in new[] { "passphrase-" + new string('k', 53), "passphrase-" + new string('m', 117) })
        {
            Assert.True(accepted.Length is 64 or 128, accepted.Length.ToString());
            HttpAssert.Status(HttpStatusCode.Redirect, await ChangeAsync(accepted));
            current = accepted;
        }
        HttpAssert.Status(HttpStatusCode.Redirect, await SignInAsync(new PortalBrowser(_portal.CreateBrowserClient()), staff.Email, current));
    }

    [Fact]
    public async Task Changing_the_password_ends_every_other_session_at_once_and_keeps_this_one()
    {
        var staff = await _portal.CreateStaffAsync(Roles.HR);
        var here = await _portal.SignedInAsync(staff.Email, staff.Password);
        var elsewhere = await _portal.SignedInAsync(staff.Email, staff.Password);
        HttpAssert.Status(HttpStatusCode.OK, await elsewhere.Client.GetAsync("/manage/postings"));

        var wrongCurrent = await here.SubmitAsync("/account/password", "/account/password", new Dictionary<string, string>
        {
            ["CurrentPassword"] = "not my password", ["NewPassword"] = "another long passphrase", ["ConfirmNewPassword"] = "another long passphrase",
        });
        Assert.Contains("current password is not right", await wrongCurrent.Content.ReadAsStringAsync());
        HttpAssert.Status(HttpStatusCode.OK, await elsewhere.Client.GetAsync("/manage/postings"));

        HttpAssert.Status(HttpStatusCode.Redirect, await here.SubmitAsync("/account/password", "/account/password", new Dictionary<string, string>
        {
            ["CurrentPassword"] = staff.Password, ["NewPassword"] = "another long passphrase", ["ConfirmNewPassword"] = "another long passphrase",
        }));
        // No clock moves: the other session's very next request is refused; this one goes on.
        var other = await elsewhere.Client.GetAsync("/manage/postings");
        HttpAssert.Status(HttpStatusCode.Redirect, other);
        Assert.Contains("/account/login", other.Headers.Location!.OriginalString);
        Assert.Contains("signed out", (await here.GetPageAsync("/account/password")).Body!.TextContent);
        HttpAssert.Status(HttpStatusCode.OK, await here.Client.GetAsync("/manage/postings"));
    }

    [Fact]
    public async Task Asking_to_erase_the_account_ends_its_other_sessions_at_once()
    {
        var posting = await _portal.CreatePostingAsync();
        var (here, _) = await _portal.ApplyAsync(posting, "erase-sessions@example.test");
        await _portal.ConfirmEmailAsync("erase-sessions@example.test");
        var elsewhere = await _portal.SignedInAsync("erase-sessions@example.test", "correct horse battery staple");
        HttpAssert.Status(HttpStatusCode.OK, await elsewhere.Client.GetAsync("/my/data"));

        HttpAssert.Status(HttpStatusCode.Redirect, await here.SubmitAsync("/my/data/delete", "/my/data/delete",
            new Dictionary<string, string> { ["Password"] = "correct horse battery staple" }));
        HttpAssert.Status(HttpStatusCode.Redirect, await elsewhere.Client.GetAsync("/my/data"));
    }
}
