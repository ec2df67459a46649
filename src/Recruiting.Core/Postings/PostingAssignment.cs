namespace Recruiting.Core.Postings;

/// <summary>A recruiter assigned to a posting: they see and handle its applications, and no others.</summary>
public class PostingAssignment
{
    private PostingAssignment() { }

    public PostingAssignment(Guid jobPostingId, Guid recruiterUserId, DateTimeOffset now)
    {
        JobPostingId = jobPostingId;
        RecruiterUserId = recruiterUserId;
        AssignedAt = now;
    }

    public Guid JobPostingId { get; private set; }
    public Guid RecruiterUserId { get; private set; }
    public DateTimeOffset AssignedAt { get; private set; }
}
