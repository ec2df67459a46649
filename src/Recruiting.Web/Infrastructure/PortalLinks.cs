using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Recruiting.Core.Notifications;
using Recruiting.Web.Controllers;

namespace Recruiting.Web.Infrastructure;

/// <summary>
/// Links for mail made by ASP.NET Core's <see cref="LinkGenerator"/> from the controllers' routes, put under the
/// portal's public address (scheme, host and any path it is served under). Mail is made by jobs, outside any request,
/// so nothing is taken from a current request.
/// </summary>
public sealed class PortalLinks(LinkGenerator links, IOptions<PortalOptions> portal) : IPortalLinks
{
    public string MyApplications() => Link<MyApplicationsController>(nameof(MyApplicationsController.Index));

    public string MyData() => Link<MyDataController>(nameof(MyDataController.Index));

    public string Privacy() => Link<HomeController>(nameof(HomeController.Privacy));

    public string PrivacyContact() => Link<PrivacyContactController>(nameof(PrivacyContactController.Index));

    public string ConfirmVisitorRequest(Guid visitorRequestId, string token) =>
        Link<PrivacyContactController>(nameof(PrivacyContactController.Confirm), new { id = visitorRequestId, token });

    public string Login() => Link<AccountController>(nameof(AccountController.Login));

    public string ForgotPassword() => Link<AccountController>(nameof(AccountController.ForgotPassword));

    public string SetPassword(Guid userId, string code) =>
        Link<AccountController>(nameof(AccountController.SetPassword), new { userId, code });

    public string ConfirmEmail(Guid userId, string code) =>
        Link<AccountController>(nameof(AccountController.ConfirmEmail), new { userId, code });

    public string ConfirmEmailChange(Guid userId, string code) =>
        Link<AccountController>(nameof(AccountController.ConfirmEmailChange), new { userId, code });

    public string Posting(Guid postingId) => Link<PostingsController>(nameof(PostingsController.Details), new { id = postingId });

    public string Apply(Guid postingId) => Link<ApplyController>(nameof(ApplyController.Apply), new { id = postingId });

    public string TalentPoolOptOut(string token) => Link<ConsentController>(nameof(ConsentController.OptOut), new { token });

    public string TalentPoolRenewal(string token) => Link<ConsentController>(nameof(ConsentController.Renew), new { token });

    public string RetentionRuns() => Link<RetentionRunsController>(nameof(RetentionRunsController.Index));

    private string Link<TController>(string action, object? values = null) where TController : Controller
    {
        var controller = typeof(TController).Name[..^"Controller".Length];
        var address = new Uri(portal.Value.PublicUrl.TrimEnd('/') + "/");
        return links.GetUriByAction(action, controller, values, address.Scheme, new HostString(address.Authority),
                   new PathString(address.AbsolutePath.TrimEnd('/')))
               ?? throw new InvalidOperationException($"No route reaches {controller}.{action} with these values.");
    }
}
