namespace Recruiting.Core.Postings;

public enum PostingStatus { Draft, Open, Closed }

public class JobPosting
{
    public const int TitleMaxLength = 200;
    public const int LocationMaxLength = 200;
    public const int DescriptionMaxLength = 20_000;

    private JobPosting() { }

    public Guid Id { get; private set; }
    public string Title { get; private set; } = "";
    public string Location { get; private set; } = "";
    public string Description { get; private set; } = "";
    public PostingStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? OpenedAt { get; private set; }

    /// <summary>The retention clock of applications without a decision runs from here.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    public bool AcceptsApplications => Status == PostingStatus.Open;

    public static JobPosting Create(string title, string location, string description, DateTimeOffset now)
    {
        var posting = new JobPosting { Id = Guid.NewGuid(), CreatedAt = now, Status = PostingStatus.Draft };
        posting.Edit(title, location, description);
        return posting;
    }

    public void Edit(string title, string location, string description)
    {
        Title = Require(title, TitleMaxLength, nameof(title));
        Location = Require(location, LocationMaxLength, nameof(location));
        Description = Require(description, DescriptionMaxLength, nameof(description));
    }

    public void Open(DateTimeOffset now)
    {
        if (Status == PostingStatus.Open) return;
        Status = PostingStatus.Open;
        OpenedAt = now;
        ClosedAt = null;
    }

    public void Close(DateTimeOffset now)
    {
        if (Status == PostingStatus.Closed) return;
        Status = PostingStatus.Closed;
        ClosedAt = now;
    }

    private static string Require(string value, int maxLength, string name)
    {
        value = value?.Trim() ?? "";
        if (value.Length == 0) throw new ArgumentException("A value is required.", name);
        if (value.Length > maxLength) throw new ArgumentException($"At most {maxLength} characters.", name);
        return value;
    }
}
