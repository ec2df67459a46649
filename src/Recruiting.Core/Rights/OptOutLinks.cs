using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Recruiting.Core.Consent;
using Recruiting.Core.Privacy;

namespace Recruiting.Core.Rights;

/// <summary>
/// The one-click opt-out link in marketing mail. Its token carries the applicant id only and is valid for
/// <see cref="PrivacyOptions.OptOutLinkDays"/> days.
/// </summary>
public sealed class OptOutLinks(IDataProtectionProvider protection, IOptions<PrivacyOptions> options, TimeProvider time)
{
    public const string Purpose = "Recruiting.Rights.TalentPoolOptOut.v1";

    public const string Path = "/consent/opt-out";

    private readonly SignedIdToken tokens = new(protection, Purpose, time);

    public string CreateToken(Guid applicantId) => tokens.Create(applicantId, time.GetUtcNow().AddDays(options.Value.OptOutLinkDays));

    /// <summary>The applicant the token was made for; null when it is tampered with, made for another purpose, or expired.</summary>
    public Guid? Read(string? token) => tokens.Read(token);
}
