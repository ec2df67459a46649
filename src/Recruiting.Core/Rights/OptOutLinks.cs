using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Recruiting.Core.Privacy;

namespace Recruiting.Core.Rights;

/// <summary>
/// The signed, expiring token of the one-click opt-out link in marketing mail. It carries the applicant id only,
/// protected by ASP.NET Data Protection (so it cannot be forged or altered) and valid for
/// <see cref="PrivacyOptions.OptOutLinkDays"/> days. Expiry is checked against the injected clock as well as by the
/// protector itself.
/// </summary>
public sealed class OptOutLinks(IDataProtectionProvider protection, IOptions<PrivacyOptions> options, TimeProvider time)
{
    /// <summary>The Data Protection purpose: a token made for anything else does not open here.</summary>
    public const string Purpose = "Recruiting.Rights.TalentPoolOptOut.v1";

    public const string Path = "/consent/opt-out";

    private ITimeLimitedDataProtector Protector => protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    public string CreateToken(Guid applicantId) =>
        Protector.Protect(applicantId.ToString("N"), time.GetUtcNow().AddDays(options.Value.OptOutLinkDays));

    /// <summary>The path and query of the link; the mail puts the portal's address in front.</summary>
    public string PathFor(Guid applicantId) => $"{Path}?token={Uri.EscapeDataString(CreateToken(applicantId))}";

    /// <summary>The applicant the token was made for; null when it is tampered with, made for another purpose, or expired.</summary>
    public Guid? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
            return null;
        try
        {
            var payload = Protector.Unprotect(token, out var expiration);
            return expiration > time.GetUtcNow() && Guid.TryParseExact(payload, "N", out var applicantId) ? applicantId : null;
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
