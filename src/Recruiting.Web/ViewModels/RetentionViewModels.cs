using Recruiting.Core.Retention;

namespace Recruiting.Web.ViewModels;

/// <summary>The six periods as HR reads them: what each keeps, counted from which event, in which unit.</summary>
public static class RetentionLabels
{
    public static readonly IReadOnlyList<(string Field, string Label, string Unit)> Periods =
    [
        (nameof(RetentionPeriods.RejectedMonths), "Rejected: months after the rejection decision", "months"),
        (nameof(RetentionPeriods.WithdrawnDays), "Withdrawn by the applicant: days after withdrawal", "days"),
        (nameof(RetentionPeriods.NoDecisionMonthsAfterReceipt), "No decision yet: months after the application was received", "months"),
        (nameof(RetentionPeriods.NoDecisionMonthsAfterClosing), "No decision when the posting closed: months after closing (if earlier)", "months"),
        (nameof(RetentionPeriods.HiredMonths), "Hired: months after hiring", "months"),
        (nameof(RetentionPeriods.TalentPoolMonths), "Talent pool with consent: months after consent was given", "months"),
    ];

    public static int Value(RetentionPeriods periods, string field) => field switch
    {
        nameof(RetentionPeriods.RejectedMonths) => periods.RejectedMonths,
        nameof(RetentionPeriods.WithdrawnDays) => periods.WithdrawnDays,
        nameof(RetentionPeriods.NoDecisionMonthsAfterClosing) => periods.NoDecisionMonthsAfterClosing,
        nameof(RetentionPeriods.NoDecisionMonthsAfterReceipt) => periods.NoDecisionMonthsAfterReceipt,
        nameof(RetentionPeriods.HiredMonths) => periods.HiredMonths,
        nameof(RetentionPeriods.TalentPoolMonths) => periods.TalentPoolMonths,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static string PolicyName(Guid? postingId, string? postingTitle) =>
        postingId is null ? "Default policy" : $"Override for {postingTitle}";
}

/// <summary>
/// What the edit form posts: the policy (no posting: the default), the six periods, or Remove for a posting's override;
/// Confirm is set only by the preview's "Confirm and save" button.
/// </summary>
public sealed class RetentionPolicyForm
{
    public Guid? PostingId { get; set; }
    public int? RejectedMonths { get; set; }
    public int? WithdrawnDays { get; set; }
    public int? NoDecisionMonthsAfterClosing { get; set; }
    public int? NoDecisionMonthsAfterReceipt { get; set; }
    public int? HiredMonths { get; set; }
    public int? TalentPoolMonths { get; set; }
    public bool Remove { get; set; }
    public bool Confirm { get; set; }

    /// <summary>Null when every period is filled in (or the override is being removed), else the message to show.</summary>
    public string? Missing() =>
        Remove || (RejectedMonths, WithdrawnDays, NoDecisionMonthsAfterClosing, HiredMonths, TalentPoolMonths, NoDecisionMonthsAfterReceipt)
            is ({ }, { }, { }, { }, { }, { })
            ? null
            : "Fill in all six periods, as whole numbers.";

    public PolicyChange ToChange() =>
        new(PostingId, new RetentionPeriods(RejectedMonths ?? 0, WithdrawnDays ?? 0, NoDecisionMonthsAfterClosing ?? 0, HiredMonths ?? 0,
            TalentPoolMonths ?? 0, NoDecisionMonthsAfterReceipt ?? 0), Remove);
}

/// <summary>The edit page: the policy edited, the values shown in the fields (as entered, after a refusal), and the refusal.</summary>
public sealed record RetentionEditPage(PolicyForm Policy, RetentionPolicyForm Values, string? Error)
{
    public static RetentionEditPage Fresh(PolicyForm policy) =>
        new(policy, new RetentionPolicyForm
        {
            PostingId = policy.PostingId,
            RejectedMonths = policy.Periods.RejectedMonths,
            WithdrawnDays = policy.Periods.WithdrawnDays,
            NoDecisionMonthsAfterClosing = policy.Periods.NoDecisionMonthsAfterClosing,
            NoDecisionMonthsAfterReceipt = policy.Periods.NoDecisionMonthsAfterReceipt,
            HiredMonths = policy.Periods.HiredMonths,
            TalentPoolMonths = policy.Periods.TalentPoolMonths,
        }, null);

    public int? Value(string field) => field switch
    {
        nameof(RetentionPolicyForm.RejectedMonths) => Values.RejectedMonths,
        nameof(RetentionPolicyForm.WithdrawnDays) => Values.WithdrawnDays,
        nameof(RetentionPolicyForm.NoDecisionMonthsAfterClosing) => Values.NoDecisionMonthsAfterClosing,
        nameof(RetentionPolicyForm.NoDecisionMonthsAfterReceipt) => Values.NoDecisionMonthsAfterReceipt,
        nameof(RetentionPolicyForm.HiredMonths) => Values.HiredMonths,
        nameof(RetentionPolicyForm.TalentPoolMonths) => Values.TalentPoolMonths,
        _ => null,
    };
}

public sealed record RetentionRunsPage(IReadOnlyList<RetentionRunRow> Runs, IReadOnlyList<PostingStatisticRow> Statistics,
    OrphanSweep? Sweep = null);
