using Recruiting.Core.Rights;

namespace Recruiting.UnitTests.Rights;

/// <summary>Art. 12(3): answer within one month of receipt; extend once, by up to two further months, telling the jobseeker within the first.</summary>
public sealed class RequestDueDateTests
{
    private static DateTimeOffset At(int year, int month, int day, int hour = 10) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    private static DataSubjectRequest Question(DateTimeOffset received) =>
        DataSubjectRequest.File(RequestType.Question, Guid.NewGuid(), received, details: "Why?");

    [Theory]
    [InlineData(2027, 1, 31, 2027, 2, 28)] // the next month is shorter: its last day
    [InlineData(2028, 1, 31, 2028, 2, 29)] // leap year
    [InlineData(2027, 3, 31, 2027, 4, 30)]
    [InlineData(2027, 2, 28, 2027, 3, 28)] // the same day number, not the month's end
    [InlineData(2027, 12, 15, 2028, 1, 15)]
    public void A_request_is_due_one_calendar_month_after_it_was_received(int y, int m, int d, int dueY, int dueM, int dueD)
    {
        var request = Question(At(y, m, d));
        Assert.Equal(At(dueY, dueM, dueD), request.DueAt);
        Assert.Equal(RequestStatus.Received, request.Status);
    }

    [Fact]
    public void An_open_request_is_overdue_after_its_due_time_and_an_answered_one_never()
    {
        var request = Question(At(2027, 1, 31));
        Assert.False(request.IsOverdue(At(2027, 2, 28)));
        Assert.True(request.IsOverdue(At(2027, 2, 28, hour: 11)));
        request.Complete(At(2027, 3, 1), "Answered late.");
        Assert.False(request.IsOverdue(At(2027, 3, 2)));
    }

    [Fact]
    public void The_due_date_is_extended_once_by_at_most_two_further_months_with_a_reason_and_only_within_the_first_month()
    {
        var request = Question(At(2027, 1, 31));
        var now = At(2027, 2, 20);
        Assert.Contains("at most 2 further months", request.ExtensionRefusal(At(2027, 4, 30, hour: 11), "Busy.", now));
        Assert.Contains("later than the current one", request.ExtensionRefusal(At(2027, 2, 28), "Busy.", now));
        Assert.Contains("Give the reason", request.ExtensionRefusal(At(2027, 4, 30), " ", now));
        Assert.Contains("no longer be extended", request.ExtensionRefusal(At(2027, 4, 30), "Busy.", At(2027, 2, 28, hour: 11)));
        Assert.Null(request.ExtensionRefusal(At(2027, 4, 30), "Busy.", At(2027, 2, 28))); // to the minute of the due time

        request.Extend(At(2027, 4, 30), " Busy. ", now);
        Assert.Equal(At(2027, 4, 30), request.DueAt);
        Assert.Equal(now, request.ExtendedAt);
        Assert.Equal("Busy.", request.ExtensionReason);
        Assert.Contains("only once", request.ExtensionRefusal(At(2027, 4, 29), "Again.", now));
        Assert.Throws<InvalidOperationException>(() => request.Extend(At(2027, 4, 29), "Again.", now));
    }

    [Fact]
    public void HR_answers_only_open_requests_that_do_not_run_by_themselves_and_only_with_words()
    {
        var question = Question(At(2027, 1, 31));
        Assert.Contains("Write the answer", question.AnswerRefusal("  "));
        Assert.Contains("at most", question.AnswerRefusal(new string('x', DataSubjectRequest.AnswerMaxLength + 1)));
        Assert.Null(question.AnswerRefusal("Here is the answer."));
        question.Refuse("No.", At(2027, 2, 1));
        Assert.Contains("already answered", question.AnswerRefusal("Yes after all."));

        var export = DataSubjectRequest.File(RequestType.Access, Guid.NewGuid(), At(2027, 1, 31));
        Assert.False(export.AnsweredByHr);
        Assert.Contains("carried out by the system", export.AnswerRefusal("Done."));
        foreach (var type in new[] { RequestType.Rectification, RequestType.Restriction, RequestType.Objection, RequestType.Question })
            Assert.True(DataSubjectRequest.File(type, Guid.NewGuid(), At(2027, 1, 31)).AnsweredByHr);
    }
}
