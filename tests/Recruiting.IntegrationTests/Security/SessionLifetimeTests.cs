using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Identity;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Security;

/// <summary>
/// A session ends for good: signing out kills every copy of the cookie, and a sign-in lasts at most 8 hours for staff
/// and 24 hours for jobseekers however active it is (the cookie keeps being renewed meanwhile).
/// </summary>
public sealed class SessionLifetimeTests : IDisposable
{
    private const string SignedInPage = "/account/password";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory _portal;

    public SessionLifetimeTests() =>
        _portal = new PortalFactory { ProductionSessionLifetimes = true, TestServices = services => services.AddSingleton<TimeProvider>(_clock) };

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task A_cookie_captured_before_sign_out_is_signed_out_after_it()
    {
        var staff = await _portal.CreateStaffAsync(Roles.Recruiter);
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var signIn = await browser.SubmitAsync("/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = staff.Email, ["Password"] = staff.Password });
        HttpAssert.Status(HttpStatusCode.Redirect, signIn);
        var captured = SecurityHosts.SetCookies(signIn).Single(c => c.StartsWith("recruiting.auth=", StringComparison.Ordinal)).Split(';')[0];
        var thief = _portal.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        thief.DefaultRequestHeaders.Add("Cookie", captured);
        HttpAssert.Status(HttpStatusCode.OK, await thief.GetAsync(SignedInPage));

        HttpAssert.Redirect("/", await browser.SubmitAsync(SignedInPage, "/account/logout", new Dictionary<string, string>()));

        HttpAssert.Redirect("/account/login", await thief.GetAsync(SignedInPage));
    }

    [Theory]
    [InlineData(Roles.HR, 8)]
    [InlineData(Roles.Recruiter, 8)]
    [InlineData(Roles.Jobseeker, 24)]
    public async Task A_sign_in_ends_after_its_absolute_lifetime_however_active_the_session(string role, int hours)
    {
        var account = await _portal.CreateStaffAsync(role);
        var browser = await _portal.SignedInAsync(account.Email, account.Password);

        // Busy all along: a request every 30 minutes, each of which may renew the cookie.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(hours) - TimeSpan.FromMinutes(1); elapsed += TimeSpan.FromMinutes(30))
        {
            HttpAssert.Status(HttpStatusCode.OK, await browser.Client.GetAsync(SignedInPage));
            _clock.Advance(TimeSpan.FromMinutes(30));
        }
        _clock.SetUtcNow(_clock.GetUtcNow() + TimeSpan.FromMinutes(1));

        HttpAssert.Redirect("/account/login", await browser.Client.GetAsync(SignedInPage));
        // A new sign-in starts a new lifetime.
        await browser.SignInAsync(account.Email, account.Password);
        HttpAssert.Status(HttpStatusCode.OK, await browser.Client.GetAsync(SignedInPage));
    }
}
