namespace Recruiting.Core.Applications;

/// <summary>How an application's retention clock ends: the outcome whose period applies.</summary>
public enum RetentionOutcome { Rejected, Withdrawn, NoDecision, Hired, TalentPool }
