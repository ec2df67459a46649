namespace Recruiting.Core.Postings;

/// <summary>
/// What a feature built on postings does when one opens or closes: retention starts or stops the clock of its undecided
/// applications, the talent pool owes its new-openings mails. Postings declares it so that it stays below those features,
/// and <see cref="PostingDesk"/> calls every handler inside the transaction that saves the change.
/// </summary>
public interface IPostingStatusHandler
{
    /// <summary>
    /// Called after the change is saved, inside its transaction: save what you add before returning (a later handler may
    /// clear the change tracker), so that it commits with the change or not at all.
    /// </summary>
    Task StatusChangedAsync(JobPosting posting, PostingStatus before, CancellationToken cancellationToken);

    /// <summary>Called once the transaction has committed: hand over work that must not start before (queued jobs).</summary>
    void Committed(JobPosting posting);
}
