namespace Recruiting.Core.Retention;

/// <summary>Settings section <c>Retention</c>: the default policy until HR first saves one, and how enforcement runs.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    public int RejectedMonths { get; set; } = 6;
    public int WithdrawnDays { get; set; } = 30;
    public int NoDecisionMonthsAfterClosing { get; set; } = 6;

    /// <summary>An application still without a decision is deleted this many months after it was received, even on a posting that never closes.</summary>
    public int NoDecisionMonthsAfterReceipt { get; set; } = 6;
    public int HiredMonths { get; set; } = 6;
    public int TalentPoolMonths { get; set; } = 24;

    /// <summary>Days before deletion that the applicant is warned, whatever the outcome.</summary>
    public int WarningDays { get; set; } = 14;

    /// <summary>An applicant with no application and no consent left is erased once not signed in for this many days.</summary>
    public int AccountInactivityDays { get; set; } = 30;

    /// <summary>Safety rail: a run that finds more than this many deletions due stops and alerts HR.</summary>
    public int MaxDeletionsPerRun { get; set; } = 10_000;

    /// <summary>Applications deleted per transaction.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Report what would be deleted, delete nothing.</summary>
    public bool DryRun { get; set; }
}
