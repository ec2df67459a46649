using Recruiting.Core.Applications;

namespace Recruiting.Core.Retention;

/// <summary>
/// The retention rule that applies to an application, in words an applicant reads (Art. 15(1)(d)), with the periods in
/// force for its posting (<c>DueDates.PeriodsForAsync</c>).
/// </summary>
public static class RetentionRuleText
{
    public static string Describe(ApplicationStatus status, bool inTalentPool, bool onLegalHold, Retention.RetentionPeriods rules)
    {
        var rule = status switch
        {
            ApplicationStatus.Rejected => $"Deleted {Months(rules.RejectedMonths)} after the rejection decision.",
            ApplicationStatus.Hired => $"Deleted {Months(rules.HiredMonths)} after the hiring decision, unless it becomes part of your employee file.",
            ApplicationStatus.Withdrawn => $"Deleted {Days(rules.WithdrawnDays)} after you withdrew it.",
            _ => $"While it is under review it is kept until a decision, but without a decision it is deleted {Months(rules.NoDecisionMonthsAfterReceipt)} "
                 + $"after we received it, or {Months(rules.NoDecisionMonthsAfterClosing)} after the posting closes if that comes first. "
                 + $"If it is rejected, it is deleted {Months(rules.RejectedMonths)} after that decision.",
        };
        if (inTalentPool)
            rule += $" With your talent-pool consent it is kept for {Months(rules.TalentPoolMonths)} from your latest consent instead, "
                    + "or until you withdraw the consent. Before that ends we email you a link to renew it.";
        if (onLegalHold)
            rule += " A legal hold currently covers it: it is kept while the hold lasts, then the rule above applies.";
        return rule;
    }

    private static string Months(int n) => n == 1 ? "1 month" : $"{n} months";

    private static string Days(int n) => n == 1 ? "1 day" : $"{n} days";
}
