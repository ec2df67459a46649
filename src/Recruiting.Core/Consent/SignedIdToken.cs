using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Recruiting.Core.Consent;

/// <summary>
/// An id signed and time-limited by ASP.NET Data Protection under one purpose, for links in mail that act without a
/// sign-in: it cannot be forged or altered, a token made for another purpose does not open, and expiry is checked
/// against the injected clock as well as by the protector itself (so tests with a moved clock see links expire).
/// </summary>
public sealed class SignedIdToken(IDataProtectionProvider protection, string purpose, TimeProvider time)
{
    private ITimeLimitedDataProtector Protector => protection.CreateProtector(purpose).ToTimeLimitedDataProtector();

    public string Create(Guid id, DateTimeOffset expiresAt) => Protector.Protect(id.ToString("N"), expiresAt);

    /// <summary>The id the token was made for; null when it is tampered with, made for another purpose, or expired.</summary>
    public Guid? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
            return null;
        try
        {
            var payload = Protector.Unprotect(token, out var expiration);
            return expiration > time.GetUtcNow() && Guid.TryParseExact(payload, "N", out var id) ? id : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
