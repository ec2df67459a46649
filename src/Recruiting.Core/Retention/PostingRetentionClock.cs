using Recruiting.Core.Postings;

namespace Recruiting.Core.Retention;

/// <summary>
/// Closing a posting starts the retention clock of its undecided applications; reopening it stops the clock again (they
/// are under review once more). Their stored due dates change in the transaction that changes the posting.
/// </summary>
public sealed class PostingRetentionClock(DueDates dueDates) : IPostingStatusHandler
{
    public async Task StatusChangedAsync(JobPosting posting, PostingStatus before, CancellationToken cancellationToken)
    {
        if (posting.Status == PostingStatus.Closed || before == PostingStatus.Closed)
            await dueDates.RecomputeForPostingAsync(posting.Id, cancellationToken);
    }

    public void Committed(JobPosting posting)
    {
    }
}
