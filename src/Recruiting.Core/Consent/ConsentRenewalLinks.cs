using Microsoft.AspNetCore.DataProtection;

namespace Recruiting.Core.Consent;

/// <summary>
/// The one-click talent-pool renewal link in the warning before a talent-pool period ends. Its token carries the
/// application id only and expires when the data would be deleted: after that there is nothing left to renew.
/// </summary>
public sealed class ConsentRenewalLinks(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Purpose = "Recruiting.Rights.TalentPoolRenewal.v1";

    public const string Path = "/consent/renew";

    private readonly SignedIdToken tokens = new(protection, Purpose, time);

    public string CreateToken(Guid applicationId, DateTimeOffset expiresAt) => tokens.Create(applicationId, expiresAt);

    /// <summary>The application the token was made for; null when it is tampered with, made for another purpose, or expired.</summary>
    public Guid? Read(string? token) => tokens.Read(token);
}
