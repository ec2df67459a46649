using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Notifications;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Notifications;

/// <summary>Links in mail are made from the portal's routes, under the address people reach it at (Portal:PublicUrl).</summary>
public sealed class PortalLinksTests : IDisposable
{
    private const string PublicUrl = "http://jobs.example.test:8080/careers";

    private readonly PortalFactory _portal = new() { Settings = { ["Portal:PublicUrl"] = PublicUrl + "/" } };

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task Every_link_is_a_route_of_the_portal_under_its_public_address()
    {
        var links = _portal.Services.GetRequiredService<IPortalLinks>();
        var id = Guid.NewGuid();
        var postingId = await _portal.CreatePostingAsync();
        var expected = new Dictionary<string, string>
        {
            [links.MyApplications()] = "/my/applications",
            [links.MyData()] = "/my/data",
            [links.Privacy()] = "/privacy",
            [links.PrivacyContact()] = "/privacy/contact",
            [links.ConfirmVisitorRequest(id, "0a1b")] = $"/privacy/contact/confirm/{id}?token=0a1b",
            [links.Login()] = "/account/login",
            [links.ForgotPassword()] = "/account/forgot-password",
            [links.SetPassword(id, "c0de-_")] = $"/account/set-password?userId={id}&code=c0de-_",
            [links.ConfirmEmail(id, "c0de-_")] = $"/account/confirm-email?userId={id}&code=c0de-_",
            [links.ConfirmEmailChange(id, "c0de-_")] = $"/account/email/confirm?userId={id}&code=c0de-_",
            [links.Posting(postingId)] = $"/postings/{postingId}",
            [links.Apply(postingId)] = $"/postings/{postingId}/apply",
            [links.TalentPoolOptOut("t0ken-_")] = "/consent/opt-out?token=t0ken-_",
            [links.TalentPoolRenewal("t0ken-_")] = "/consent/renew?token=t0ken-_",
            [links.RetentionRuns()] = "/manage/retention/runs",
        };

        using var client = _portal.CreateBrowserClient();
        foreach (var (link, path) in expected)
        {
            Assert.Equal(PublicUrl + path, link);
            // The test server is reached without the public address's path; the route must answer, not 404.
            var response = await client.GetAsync(path);
            Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_mailed_link_carries_the_public_address_and_the_route()
    {
        var (_, file) = await HrPasswordReset.RequestAsync(_portal);

        var hrId = await _portal.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync());
        Assert.Contains($"{PublicUrl}/account/set-password?userId={hrId}&code=", await File.ReadAllTextAsync(file));
    }
}
