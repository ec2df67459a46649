using Recruiting.Core.Applications;

namespace Recruiting.Core.Retention;

/// <summary>How long each outcome's data is kept, counted from the event that starts its clock.</summary>
public sealed record RetentionPeriods(int RejectedMonths, int WithdrawnDays, int NoDecisionMonthsAfterClosing, int HiredMonths,
    int TalentPoolMonths, int NoDecisionMonthsAfterReceipt)
{
    public const int MaxMonths = 120;
    public const int MaxDays = 3650;

    public static RetentionPeriods From(RetentionOptions options) =>
        new(options.RejectedMonths, options.WithdrawnDays, options.NoDecisionMonthsAfterClosing, options.HiredMonths, options.TalentPoolMonths,
            options.NoDecisionMonthsAfterReceipt);

    /// <summary>Null when every period is within bounds, else the message to show.</summary>
    public string? Refusal()
    {
        foreach (var (name, months) in new[]
                 {
                     ("Rejected", RejectedMonths), ("No decision when the posting closed", NoDecisionMonthsAfterClosing),
                     ("No decision, after receipt", NoDecisionMonthsAfterReceipt),
                     ("Hired", HiredMonths), ("Talent pool", TalentPoolMonths),
                 })
            if (months is < 0 or > MaxMonths)
                return $"{name}: between 0 and {MaxMonths} months.";
        if (WithdrawnDays is < 0 or > MaxDays)
            return $"Withdrawn: between 0 and {MaxDays} days.";
        return null;
    }
}

/// <summary>
/// One version of a retention policy: the default (no posting) or one posting's override. A change never updates a
/// row: it adds the next version, so the rows are the audit trail (who, when, and old and new values side by side).
/// A removed override is a version with <see cref="Removed"/> set; the posting then follows the default again.
/// </summary>
public class RetentionPolicy
{
    private RetentionPolicy() { }

    public Guid Id { get; private set; }

    /// <summary>Null for the default policy.</summary>
    public Guid? JobPostingId { get; private set; }
    public int Version { get; private set; }
    public int RejectedMonths { get; private set; }
    public int WithdrawnDays { get; private set; }
    public int NoDecisionMonthsAfterClosing { get; private set; }
    public int NoDecisionMonthsAfterReceipt { get; private set; }
    public int HiredMonths { get; private set; }
    public int TalentPoolMonths { get; private set; }
    public bool Removed { get; private set; }
    public Guid ChangedByUserId { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }

    /// <summary>
    /// When the due dates of the applications this version governs were brought in step with it; null while that is
    /// still owed (the reconcile job hands such versions to <see cref="RetentionPolicies.ApplyAsync"/> again).
    /// </summary>
    public DateTimeOffset? AppliedAt { get; private set; }

    public void MarkApplied(DateTimeOffset now) => AppliedAt ??= now;

    public RetentionPeriods Periods =>
        new(RejectedMonths, WithdrawnDays, NoDecisionMonthsAfterClosing, HiredMonths, TalentPoolMonths, NoDecisionMonthsAfterReceipt);

    /// <summary>The next version after <paramref name="current"/> (null: the first) of the policy for <paramref name="postingId"/>.</summary>
    public static RetentionPolicy NextVersion(RetentionPolicy? current, Guid? postingId, RetentionPeriods periods, Guid changedBy,
        DateTimeOffset now, bool removed = false)
    {
        if (periods.Refusal() is { } refusal)
            throw new ArgumentException(refusal, nameof(periods));
        if (removed && postingId is null)
            throw new InvalidOperationException("The default policy cannot be removed.");
        return new RetentionPolicy
        {
            Id = Guid.NewGuid(),
            JobPostingId = postingId,
            Version = (current?.Version ?? 0) + 1,
            RejectedMonths = periods.RejectedMonths,
            WithdrawnDays = periods.WithdrawnDays,
            NoDecisionMonthsAfterClosing = periods.NoDecisionMonthsAfterClosing,
            NoDecisionMonthsAfterReceipt = periods.NoDecisionMonthsAfterReceipt,
            HiredMonths = periods.HiredMonths,
            TalentPoolMonths = periods.TalentPoolMonths,
            Removed = removed,
            ChangedByUserId = changedBy,
            ChangedAt = now,
        };
    }
}
