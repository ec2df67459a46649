using Recruiting.Core.Applications;

namespace Recruiting.Core.Retention;

/// <summary>When an application's data is due for deletion, and under which outcome, from the facts that start its clock.</summary>
public static class RetentionRule
{
    public sealed record Facts(ApplicationStatus Status, DateTimeOffset ReceivedAt, DateTimeOffset? DecisionAt, DateTimeOffset? WithdrawnAt,
        DateTimeOffset? PostingClosedAt, DateTimeOffset? TalentPoolConsentAt);

    /// <summary>
    /// The due date, or null when no clock can run (a decided application missing its decision time). Every application
    /// has a clock: one still without a decision runs from its receipt, so a posting that is never closed keeps nothing
    /// for ever; once its posting closes, the earlier of that and the closing clock applies, so closing never extends
    /// what the applicant was told at receipt. Talent-pool consent keeps the data for its period from the latest
    /// consent when that ends later than the outcome's own period.
    /// </summary>
    public static (DateTimeOffset? DueAt, RetentionOutcome? Outcome) Due(Facts facts, RetentionPeriods periods)
    {
        (DateTimeOffset? due, RetentionOutcome? outcome) = facts.Status switch
        {
            ApplicationStatus.Rejected when facts.DecisionAt is { } at => (at.AddMonths(periods.RejectedMonths), RetentionOutcome.Rejected),
            ApplicationStatus.Hired when facts.DecisionAt is { } at => (at.AddMonths(periods.HiredMonths), RetentionOutcome.Hired),
            ApplicationStatus.Withdrawn when facts.WithdrawnAt is { } at => (at.AddDays(periods.WithdrawnDays), RetentionOutcome.Withdrawn),
            _ when IsUndecided(facts.Status) => (NoDecisionDue(facts, periods), RetentionOutcome.NoDecision),
            _ => ((DateTimeOffset?)null, (RetentionOutcome?)null),
        };
        if (due is not null && facts.TalentPoolConsentAt is { } consentAt && consentAt.AddMonths(periods.TalentPoolMonths) > due)
            return (consentAt.AddMonths(periods.TalentPoolMonths), RetentionOutcome.TalentPool);
        return (due, outcome);
    }

    private static DateTimeOffset NoDecisionDue(Facts facts, RetentionPeriods periods)
    {
        var afterReceipt = facts.ReceivedAt.AddMonths(periods.NoDecisionMonthsAfterReceipt);
        return facts.PostingClosedAt is { } closed && closed.AddMonths(periods.NoDecisionMonthsAfterClosing) < afterReceipt
            ? closed.AddMonths(periods.NoDecisionMonthsAfterClosing)
            : afterReceipt;
    }

    private static bool IsUndecided(ApplicationStatus status) =>
        status is not (ApplicationStatus.Rejected or ApplicationStatus.Hired or ApplicationStatus.Withdrawn);
}
