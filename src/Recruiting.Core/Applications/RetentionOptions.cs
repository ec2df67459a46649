namespace Recruiting.Core.Applications;

/// <summary>Settings section <c>Retention</c>: the default policy until HR edits policies.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    public int RejectedMonths { get; set; } = 6;
    public int WithdrawnDays { get; set; } = 30;
    public int NoDecisionMonthsAfterClosing { get; set; } = 6;
    public int HiredMonths { get; set; } = 6;
    public int TalentPoolMonths { get; set; } = 24;
}
