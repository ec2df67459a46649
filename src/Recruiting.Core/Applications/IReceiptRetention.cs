using Recruiting.Core.Postings;

namespace Recruiting.Core.Applications;

/// <summary>What the retention rules give a new application at its receipt.</summary>
/// <param name="DueAt">When its data is due for deletion under the policy in force for its posting.</param>
/// <param name="Outcome">The outcome whose period set <paramref name="DueAt"/>.</param>
/// <param name="OnLegalHold">A legal hold on its applicant already covers it.</param>
public sealed record ReceiptRetention(DateTimeOffset? DueAt, RetentionOutcome? Outcome, bool OnLegalHold);

/// <summary>
/// Dates an application at receipt, before it is stored, so that intake saves it already dated in the one commit that
/// stores it: the applicant is told at receipt how long it is kept, and no stored application is ever without a date.
/// Declared here and implemented by retention, which owns the rules, so intake does not depend on retention.
/// </summary>
public interface IReceiptRetention
{
    /// <param name="posting">The posting applied to.</param>
    /// <param name="applicantId">The applicant's id when they have applied before (their holds apply); null for a new one.</param>
    /// <param name="receivedAt">The receipt time, which starts the clock.</param>
    /// <param name="talentPoolConsent">Whether the form gives talent-pool consent at receipt.</param>
    Task<ReceiptRetention> AtReceiptAsync(JobPosting posting, Guid? applicantId, DateTimeOffset receivedAt, bool talentPoolConsent,
        CancellationToken cancellationToken);
}
