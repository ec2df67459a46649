using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Data;

namespace Recruiting.Core.Retention;

/// <summary>
/// HR's order to keep an applicant's or one application's data (Art. 17(3)(e): legal claims). While active, neither
/// retention nor erasure deletes what it covers.
/// </summary>
public class LegalHold
{
    public const int ReasonMaxLength = 1000;

    private LegalHold() { }

    public Guid Id { get; private set; }
    public Guid? ApplicantId { get; private set; }
    public Guid? ApplicationId { get; private set; }

    /// <summary>Told to the applicant when their erasure request is refused because of it.</summary>
    [PersonalData] public string Reason { get; private set; } = "";
    public Guid PlacedByUserId { get; private set; }
    public DateTimeOffset PlacedAt { get; private set; }
    public DateTimeOffset? EndsAt { get; private set; }
    public DateTimeOffset? LiftedAt { get; private set; }
    public Guid? LiftedByUserId { get; private set; }

    public bool IsActive(DateTimeOffset now) => LiftedAt is null && (EndsAt is null || EndsAt > now);

    public static LegalHold OnApplicant(Guid applicantId, string reason, Guid placedBy, DateTimeOffset now, DateTimeOffset? endsAt = null) =>
        new() { Id = Guid.NewGuid(), ApplicantId = applicantId, Reason = Valid(reason), PlacedByUserId = placedBy, PlacedAt = now, EndsAt = endsAt };

    public static LegalHold OnApplication(Guid applicationId, string reason, Guid placedBy, DateTimeOffset now, DateTimeOffset? endsAt = null) =>
        new() { Id = Guid.NewGuid(), ApplicationId = applicationId, Reason = Valid(reason), PlacedByUserId = placedBy, PlacedAt = now, EndsAt = endsAt };

    public void Lift(Guid liftedBy, DateTimeOffset now)
    {
        LiftedAt ??= now;
        LiftedByUserId ??= liftedBy;
    }

    /// <summary>Null when the reason will do, else the message to show.</summary>
    public static string? Refusal(string? reason)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length == 0) return "A legal hold needs a reason.";
        if (trimmed.Length > ReasonMaxLength) return $"The reason can be at most {ReasonMaxLength} characters.";
        return null;
    }

    private static string Valid(string reason)
    {
        if (Refusal(reason) is { } refusal) throw new ArgumentException(refusal, nameof(reason));
        return reason.Trim();
    }
}
