using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Recruiting.Core.Rights;

/// <summary>
/// The signed, expiring token of the one-click talent-pool renewal link in the warning before a talent-pool period
/// ends. It carries the application id only, protected by ASP.NET Data Protection under its own purpose (an opt-out
/// token does not open here, nor this one there), and expires when the data would be deleted: after that there is
/// nothing left to renew. Expiry is checked against the injected clock as well as by the protector itself.
/// </summary>
public sealed class ConsentRenewalLinks(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Purpose = "Recruiting.Rights.TalentPoolRenewal.v1";

    public const string Path = "/consent/renew";

    private ITimeLimitedDataProtector Protector => protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    public string CreateToken(Guid applicationId, DateTimeOffset expiresAt) => Protector.Protect(applicationId.ToString("N"), expiresAt);

    /// <summary>The path and query of the link; the mail puts the portal's address in front.</summary>
    public string PathFor(Guid applicationId, DateTimeOffset expiresAt) =>
        $"{Path}?token={Uri.EscapeDataString(CreateToken(applicationId, expiresAt))}";

    /// <summary>The application the token was made for; null when it is tampered with, made for another purpose, or expired.</summary>
    public Guid? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
            return null;
        try
        {
            var payload = Protector.Unprotect(token, out var expiration);
            return expiration > time.GetUtcNow() && Guid.TryParseExact(payload, "N", out var applicationId) ? applicationId : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
