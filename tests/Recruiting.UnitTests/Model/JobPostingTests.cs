using Recruiting.Core.Postings;

namespace Recruiting.UnitTests.Model;

public sealed class JobPostingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_posting_is_a_draft_that_accepts_no_applications()
    {
        var posting = JobPosting.Create(" Engineer ", "Oslo", "Text", Now);
        Assert.Equal(PostingStatus.Draft, posting.Status);
        Assert.False(posting.AcceptsApplications);
        Assert.Equal("Engineer", posting.Title);
    }

    [Fact]
    public void Opening_and_closing_record_their_times_and_reopening_clears_the_closing()
    {
        var posting = JobPosting.Create("Engineer", "Oslo", "Text", Now);
        posting.Open(Now);
        Assert.True(posting.AcceptsApplications);
        posting.Close(Now.AddDays(10));
        Assert.Equal(Now.AddDays(10), posting.ClosedAt);
        Assert.False(posting.AcceptsApplications);
        posting.Close(Now.AddDays(20));
        Assert.Equal(Now.AddDays(10), posting.ClosedAt); // closing twice keeps the first time: retention runs from it
        posting.Open(Now.AddDays(30));
        Assert.Null(posting.ClosedAt);
    }

    [Theory]
    [InlineData("", "Oslo", "Text")]
    [InlineData("Title", "  ", "Text")]
    [InlineData("Title", "Oslo", "")]
    public void Empty_fields_are_refused(string title, string location, string description) =>
        Assert.Throws<ArgumentException>(() => JobPosting.Create(title, location, description, Now));

    [Fact]
    public void An_over_long_title_is_refused() =>
        Assert.Throws<ArgumentException>(() => JobPosting.Create(new string('x', JobPosting.TitleMaxLength + 1), "Oslo", "Text", Now));
}
