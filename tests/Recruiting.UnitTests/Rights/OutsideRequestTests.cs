using Recruiting.Core.Rights;

namespace Recruiting.UnitTests.Rights;

/// <summary>Requests that reach HR outside the portal, and visitors' pending requests.</summary>
public sealed class OutsideRequestTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 15, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_logged_request_is_due_one_month_after_the_start_of_the_day_it_was_received()
    {
        var request = DataSubjectRequest.Log(RequestType.Access, Guid.NewGuid(), RequestChannel.Post, new DateOnly(2027, 1, 31),
            "  Signed letter.  ", Now);
        Assert.Equal(new DateTimeOffset(2027, 1, 31, 0, 0, 0, TimeSpan.Zero), request.ReceivedAt);
        Assert.Equal(new DateTimeOffset(2027, 2, 28, 0, 0, 0, TimeSpan.Zero), request.DueAt);
        Assert.Equal(RequestChannel.Post, request.Channel);
        Assert.Equal("Signed letter.", request.IdentityVerification);

        request.Anonymise();
        Assert.Null(request.IdentityVerification);
    }

    [Theory]
    [InlineData(RequestChannel.Phone, "2027-03-16", "Called back.", "in the future")]
    [InlineData(RequestChannel.Phone, "2026-03-14", "Called back.", "at most a year ago")]
    [InlineData(RequestChannel.Mail, "2027-03-15", " ", "how you verified")]
    [InlineData(RequestChannel.Portal, "2027-03-15", "Called back.", "filed by the portal itself")]
    [InlineData((RequestChannel)99, "2027-03-15", "Called back.", "Choose how")]
    public void Logging_is_refused_without_a_past_date_a_verification_and_an_outside_channel(RequestChannel channel, string received,
        string verification, string refusal)
    {
        Assert.Contains(refusal, DataSubjectRequest.LogRefusal(channel, DateOnly.Parse(received), verification, Now));
        Assert.Throws<ArgumentException>(() =>
            DataSubjectRequest.Log(RequestType.Access, Guid.NewGuid(), channel, DateOnly.Parse(received), verification, Now));
    }

    [Fact]
    public void A_visitor_request_keeps_only_the_hash_of_its_token_and_opens_with_it_until_it_expires()
    {
        var (row, token) = VisitorRequest.Create(" Someone@Example.TEST ", RequestType.Erasure, Now);
        Assert.Equal("someone@example.test", row.Email);
        Assert.NotEqual(token, row.TokenHash);
        Assert.True(row.Opens(token, Now));
        Assert.False(row.Opens(token, Now + VisitorRequest.LinkLifetime));
        Assert.False(row.Opens(new string('0', token.Length), Now));
        Assert.False(row.Opens(null, Now));
        Assert.Throws<ArgumentException>(() => VisitorRequest.Create("a@example.test", RequestType.Question, Now));
    }
}
