namespace Recruiting.Core.Notifications;

/// <summary>
/// Absolute links to the portal's pages for mail, made from its routes and the address people reach it at
/// (<see cref="PortalOptions.PublicUrl"/>), so a route that moves moves its links too. Codes and tokens are passed
/// ready to travel in a URL (base64url).
/// </summary>
public interface IPortalLinks
{
    string MyApplications();

    string MyData();

    string Privacy();

    string PrivacyContact();

    /// <summary>The page whose button files a request a visitor made by mail.</summary>
    string ConfirmVisitorRequest(Guid visitorRequestId, string token);

    string Login();

    string ForgotPassword();

    string SetPassword(Guid userId, string code);

    string ConfirmEmail(Guid userId, string code);

    string ConfirmEmailChange(Guid userId, string code);

    string Posting(Guid postingId);

    string Apply(Guid postingId);

    string TalentPoolOptOut(string token);

    string TalentPoolRenewal(string token);

    string RetentionRuns();
}
