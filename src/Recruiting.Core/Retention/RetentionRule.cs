using Recruiting.Core.Applications;

namespace Recruiting.Core.Retention;

/// <summary>When an application's data is due for deletion, and under which outcome, from the facts that start its clock.</summary>
public static class RetentionRule
{
    public sealed record Facts(ApplicationStatus Status, DateTimeOffset? DecisionAt, DateTimeOffset? WithdrawnAt,
        DateTimeOffset? PostingClosedAt, DateTimeOffset? TalentPoolConsentAt);

    /// <summary>
    /// The due date, or null while no clock runs (under review on an open posting). Once a clock runs, talent-pool
    /// consent keeps the data for its period from the consent when that ends later than the outcome's own period.
    /// </summary>
    public static (DateTimeOffset? DueAt, RetentionOutcome? Outcome) Due(Facts facts, RetentionPeriods periods)
    {
        (DateTimeOffset? due, RetentionOutcome? outcome) = facts.Status switch
        {
            ApplicationStatus.Rejected when facts.DecisionAt is { } at => (at.AddMonths(periods.RejectedMonths), RetentionOutcome.Rejected),
            ApplicationStatus.Hired when facts.DecisionAt is { } at => (at.AddMonths(periods.HiredMonths), RetentionOutcome.Hired),
            ApplicationStatus.Withdrawn when facts.WithdrawnAt is { } at => (at.AddDays(periods.WithdrawnDays), RetentionOutcome.Withdrawn),
            _ when facts.PostingClosedAt is { } closed && IsUndecided(facts.Status) =>
                (closed.AddMonths(periods.NoDecisionMonthsAfterClosing), RetentionOutcome.NoDecision),
            _ => ((DateTimeOffset?)null, (RetentionOutcome?)null),
        };
        if (due is not null && facts.TalentPoolConsentAt is { } consentAt && consentAt.AddMonths(periods.TalentPoolMonths) > due)
            return (consentAt.AddMonths(periods.TalentPoolMonths), RetentionOutcome.TalentPool);
        return (due, outcome);
    }

    private static bool IsUndecided(ApplicationStatus status) =>
        status is not (ApplicationStatus.Rejected or ApplicationStatus.Hired or ApplicationStatus.Withdrawn);
}
