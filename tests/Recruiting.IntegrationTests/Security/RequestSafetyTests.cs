using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Web.Infrastructure;

namespace Recruiting.IntegrationTests.Security;

/// <summary>Antiforgery on every unsafe action, security headers on every response, strict cookies
/// and HSTS under https, and error pages without internals.</summary>
public sealed partial class RequestSafetyTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private Guid _posting;

    public async Task InitializeAsync() => _posting = await _portal.CreatePostingAsync();

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_kind_of_response_carries_the_security_headers()
    {
        var visitor = _portal.CreateBrowserClient();
        var responses = new List<(string Url, HttpStatusCode Expected)>
        {
            ("/", HttpStatusCode.OK),
            ($"/postings/{_posting}/apply", HttpStatusCode.OK),
            ($"/account/set-password?userId={Guid.NewGuid()}&code=x", HttpStatusCode.OK), // a validation summary
            ("/account/forgot-password", HttpStatusCode.OK),
            ("/css/site.css", HttpStatusCode.OK), // a static file
            ("/favicon.ico", HttpStatusCode.OK),
            ("/no/such/page", HttpStatusCode.NotFound), // the status page
            ("/health", HttpStatusCode.OK),
            ("/my/data", HttpStatusCode.Redirect),
            ("/hangfire", HttpStatusCode.Redirect), // to sign-in; the dashboard's own policy (test below)
        };
        foreach (var (url, expected) in responses)
        {
            var response = await visitor.GetAsync(url);
            HttpAssert.Status(expected, response);
            SecurityHosts.AssertSecurityHeaders(response, url == "/hangfire" ? SecurityHeaders.HangfireContentSecurityPolicy : null);
            // What the views render, tag helpers included, has no inline style or script either.
            if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                var html = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain("style=", html);
                Assert.DoesNotMatch(InlineScript(), html);
            }
        }
        // An unsafe post without its token: refused with 400, with the headers.
        var forged = await visitor.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "a@b.test" }));
        HttpAssert.Status(HttpStatusCode.BadRequest, forged);
        SecurityHosts.AssertSecurityHeaders(forged);
        Assert.False(forged.Headers.Contains("Strict-Transport-Security"), "HSTS is only sent over https.");
    }

    [Fact]
    public async Task The_hangfire_dashboard_works_under_its_own_policy_that_allows_inline_styles_only()
    {
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var jobId = _portal.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<NotificationJob>(j => j.SendAsync(Guid.NewGuid(), CancellationToken.None)); // nothing to send: ends at once

        var pages = new List<string>();
        foreach (var url in new[] { "/hangfire", $"/hangfire/jobs/details/{jobId}" })
        {
            var page = await hr.Client.GetAsync(url);
            HttpAssert.Status(HttpStatusCode.OK, page);
            SecurityHosts.AssertSecurityHeaders(page, SecurityHeaders.HangfireContentSecurityPolicy);
            pages.Add(await page.Content.ReadAsStringAsync());
        }
        // Why the dashboard has its own policy: its job page has inline style attributes. Its scripts are files,
        // so script-src stays 'self' there too.
        Assert.Contains("style=\"", pages[1]);
        Assert.All(pages, html => Assert.DoesNotMatch(InlineScript(), html));
        var script = await hr.Client.GetAsync(ScriptSource().Match(pages[0]).Groups[1].Value);
        HttpAssert.Status(HttpStatusCode.OK, script);
        Assert.EndsWith("javascript", script.Content.Headers.ContentType?.MediaType);
        SecurityHosts.AssertSecurityHeaders(script, SecurityHeaders.HangfireContentSecurityPolicy);
    }

    [Fact]
    public async Task An_unsafe_post_without_its_antiforgery_token_is_refused_with_400()
    {
        var (jobseeker, _) = await _portal.ApplyAsync(_posting, "forged@example.test");
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var anonymous = _portal.CreateBrowserClient();
        await anonymous.GetAsync("/account/login"); // has the antiforgery cookie, but posts no token

        foreach (var (client, url) in new[]
                 {
                     (anonymous, "/account/login"), (anonymous, "/account/forgot-password"),
                     (jobseeker.Client, "/my/data/access"), (jobseeker.Client, "/account/password"),
                     (hr.Client, "/manage/postings/new"), (hr.Client, "/admin/users/invite"), (hr.Client, "/account/logout"),
                 })
        {
            var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "x@example.test" }));
            HttpAssert.Status(HttpStatusCode.BadRequest, response);
        }
        // The sessions are untouched: the forged logout did not sign HR out.
        HttpAssert.Status(HttpStatusCode.OK, await hr.Client.GetAsync("/manage/postings"));
    }

    /// <summary>Antiforgery is a global filter; this fails if any unsafe action opts out, besides the two pages that
    /// failed requests are re-executed on (they change nothing).</summary>
    [Fact]
    public void Every_unsafe_action_is_under_the_global_antiforgery_filter()
    {
        var mvc = _portal.Services.GetRequiredService<IOptions<MvcOptions>>().Value;
        Assert.Contains(mvc.Filters, f => f is AutoValidateAntiforgeryTokenAttribute);
        var actions = _portal.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items
            .OfType<ControllerActionDescriptor>().ToList();
        Assert.True(actions.Count > 50, "The action list looks empty.");
        var optedOut = actions
            .Where(a => a.EndpointMetadata.OfType<IgnoreAntiforgeryTokenAttribute>().Any())
            .Select(a => $"{a.ControllerName}.{a.ActionName}").Order().ToList();
        Assert.Equal(["Home.Error", "Home.Status"], optedOut);
    }

    [Fact]
    public void No_view_has_inline_script_style_or_event_handlers()
    {
        var views = Path.Combine(RepositoryRoot(), "src", "Recruiting.Web", "Views");
        var offenders = Directory.GetFiles(views, "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadAllLines(file).Select((line, i) => (file, line, i)))
            .Where(l => l.line.Contains("style=", StringComparison.OrdinalIgnoreCase) || InlineScript().IsMatch(l.line)
                        || EventHandler().IsMatch(l.line) || l.line.Contains("<style", StringComparison.OrdinalIgnoreCase))
            .Select(l => $"{Path.GetRelativePath(views, l.file)}:{l.i + 1}: {l.line.Trim()}")
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public async Task Under_https_cookies_are_secure_with_the_host_prefix_and_hsts_lasts_a_year_with_subdomains()
    {
        using var portal = new PortalFactory { Settings = { ["Portal:PublicUrl"] = "https://localhost" } };
        var staff = await portal.CreateStaffAsync(Roles.Recruiter);
        var browser = new PortalBrowser(portal.HttpsClient());

        var login = await browser.Client.GetAsync("/account/login");
        HttpAssert.Status(HttpStatusCode.OK, login);
        Assert.Equal("max-age=31536000; includeSubDomains", Assert.Single(login.Headers.GetValues("Strict-Transport-Security")));
        SecurityHosts.AssertSecurityHeaders(login);
        AssertStrictCookie(Assert.Single(SecurityHosts.SetCookies(login), c => c.StartsWith("__Host-recruiting.antiforgery=")),
            "__Host-recruiting.antiforgery", "strict");
        // Every cookie, even TempData's deletion, is strict: browsers ignore a __Host- cookie that is not.
        Assert.All(SecurityHosts.SetCookies(login), c => AssertStrictCookie(c, c[..c.IndexOf('=')], c.Contains("antiforgery") ? "strict" : "lax"));

        var signIn = await browser.SubmitAsync("/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = staff.Email, ["Password"] = staff.Password });
        HttpAssert.Status(HttpStatusCode.Redirect, signIn);
        AssertStrictCookie(Assert.Single(SecurityHosts.SetCookies(signIn), c => c.StartsWith("__Host-recruiting.auth=")), "__Host-recruiting.auth", "lax");

        // TempData (the "password changed" message) is a cookie too.
        var changed = await browser.SubmitAsync("/account/password", "/account/password", new Dictionary<string, string>
        {
            ["CurrentPassword"] = staff.Password, ["NewPassword"] = "a new and long passphrase", ["ConfirmNewPassword"] = "a new and long passphrase",
        });
        HttpAssert.Status(HttpStatusCode.Redirect, changed);
        AssertStrictCookie(Assert.Single(SecurityHosts.SetCookies(changed), c => c.StartsWith("__Host-recruiting.tempdata=")), "__Host-recruiting.tempdata", "lax");
        Assert.All(SecurityHosts.SetCookies(changed), c => Assert.StartsWith("__Host-", c));
    }

    [Fact]
    public async Task Over_plain_http_cookies_are_httponly_and_samesite_without_the_prefix()
    {
        var login = await _portal.CreateBrowserClient().GetAsync("/account/login");
        var cookies = SecurityHosts.SetCookies(login);
        Assert.Contains("samesite=strict", Assert.Single(cookies, c => c.StartsWith("recruiting.antiforgery=")));
        Assert.All(cookies, cookie =>
        {
            Assert.StartsWith("recruiting.", cookie);
            Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; samesite=", cookie, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task A_failure_in_production_shows_a_plain_page_with_a_request_id_and_no_internals()
    {
        using var portal = new ProductionPortal { TestServices = SecurityHosts.FailOnRequest };
        var client = portal.CreateBrowserClient();
        client.DefaultRequestHeaders.Add(SecurityHosts.ThrowHeader, "1");
        var response = await client.GetAsync("/privacy");

        HttpAssert.Status(HttpStatusCode.InternalServerError, response);
        SecurityHosts.AssertSecurityHeaders(response);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", html);
        Assert.DoesNotContain(SecurityHosts.ThrowingFilter.Message, html);
        Assert.DoesNotContain("InvalidOperationException", html);
        Assert.DoesNotContain("Recruiting.IntegrationTests", html);
        Assert.DoesNotContain(" at ", html);
        var requestId = RequestId().Match(html);
        Assert.True(requestId.Success, "No request id on the error page.");
        // The failure itself is logged, for whoever is given the id.
        Assert.Contains(portal.Logs.Entries, e => e.Exception?.Message == SecurityHosts.ThrowingFilter.Message);
    }

    private static void AssertStrictCookie(string setCookie, string name, string sameSite)
    {
        Assert.StartsWith(name + "=", setCookie);
        Assert.Contains("; secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=" + sameSite, setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Recruiting.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Recruiting.sln not found above the test binaries.");
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<script[^>]*\bsrc=""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();

    [GeneratedRegex(@"<code>([^<]{8,})</code>")]
    private static partial Regex RequestId();
}

/// <summary>The portal in the Production environment: the real exception handler, HSTS, no developer pages.</summary>
public sealed class ProductionPortal : PortalFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        // Production sends mail by SMTP only; these tests cause no mail, so nothing needs to listen there.
        builder.UseSetting("Mail:Smtp:Host", "127.0.0.1");
    }
}
