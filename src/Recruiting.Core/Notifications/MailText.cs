using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Recruiting.Core.Notifications;

/// <summary>How mail writes what every template writes alike.</summary>
public static class MailText
{
    /// <summary>Dates in mail, as "28 February 2026" (UTC), whatever the server's locale.</summary>
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>Identity tokens travel in links base64url-encoded.</summary>
    public static string LinkCode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
}
