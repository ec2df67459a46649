using Recruiting.Core.Applications;
using Recruiting.Core.Retention;
using static Recruiting.Core.Applications.ApplicationStatus;

namespace Recruiting.UnitTests.Retention;

/// <summary>When each outcome's clock ends, especially at the ends of months.</summary>
public sealed class RetentionRuleTests
{
    private static readonly RetentionPeriods Defaults = new(6, 30, 6, 6, 24, 6);

    private static DateTimeOffset At(int year, int month, int day, int hour = 12) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    /// <summary>Received long before the other facts by default, so the receipt clock stays out of the way unless a test sets it.</summary>
    private static RetentionRule.Facts Facts(ApplicationStatus status, DateTimeOffset? decision = null, DateTimeOffset? withdrawn = null,
        DateTimeOffset? closed = null, DateTimeOffset? consent = null, DateTimeOffset? received = null) =>
        new(status, received ?? At(2020, 1, 1), decision, withdrawn, closed, consent);

    public static TheoryData<DateTimeOffset, int, DateTimeOffset> MonthEnds => new()
    {
        { At(2027, 8, 31), 6, At(2028, 2, 29) },  // into a leap February
        { At(2026, 8, 31), 6, At(2027, 2, 28) },  // into an ordinary February
        { At(2027, 1, 31), 1, At(2027, 2, 28) },
        { At(2028, 2, 29), 12, At(2029, 2, 28) }, // from a leap day
        { At(2027, 3, 31), 6, At(2027, 9, 30) },  // 31st into a 30-day month
        { At(2027, 12, 31, 23), 2, At(2028, 2, 29, 23) }, // late in the day, across the year
        { At(2027, 5, 15), 0, At(2027, 5, 15) },  // zero months: due at the decision
    };

    [Theory]
    [MemberData(nameof(MonthEnds))]
    public void A_rejection_is_due_the_same_day_months_later_or_the_last_day_of_a_shorter_month(DateTimeOffset decided, int months,
        DateTimeOffset expected)
    {
        var (due, outcome) = RetentionRule.Due(Facts(Rejected, decided), Defaults with { RejectedMonths = months });
        Assert.Equal(expected, due);
        Assert.Equal(RetentionOutcome.Rejected, outcome);
    }

    [Fact]
    public void Hired_counts_its_own_months_from_the_decision()
    {
        Assert.Equal((At(2028, 2, 29), RetentionOutcome.Hired),
            RetentionRule.Due(Facts(Hired, At(2027, 11, 30)), Defaults with { HiredMonths = 3 }));
    }

    [Fact]
    public void Withdrawn_counts_days_across_month_and_year_ends()
    {
        Assert.Equal((At(2028, 1, 30), RetentionOutcome.Withdrawn), RetentionRule.Due(Facts(Withdrawn, withdrawn: At(2027, 12, 31)), Defaults));
        Assert.Equal((At(2028, 3, 1), RetentionOutcome.Withdrawn),
            RetentionRule.Due(Facts(Withdrawn, withdrawn: At(2028, 2, 28)), Defaults with { WithdrawnDays = 2 }));
    }

    [Theory]
    [InlineData(Received)]
    [InlineData(Screening)]
    [InlineData(Interview)]
    [InlineData(Offer)]
    public void Undecided_the_clock_runs_from_receipt_and_a_closing_can_only_bring_it_forward(ApplicationStatus status)
    {
        // A posting that never closes: received + 6 months.
        Assert.Equal((At(2028, 2, 29), RetentionOutcome.NoDecision), RetentionRule.Due(Facts(status, received: At(2027, 8, 31)), Defaults));
        // Closed early: the closing clock (closed + 6) ends first.
        Assert.Equal((At(2028, 1, 31), RetentionOutcome.NoDecision),
            RetentionRule.Due(Facts(status, received: At(2027, 8, 31), closed: At(2027, 7, 31)), Defaults));
        // Closed late: the receipt clock still ends first; closing never keeps the data longer.
        Assert.Equal((At(2028, 2, 29), RetentionOutcome.NoDecision),
            RetentionRule.Due(Facts(status, received: At(2027, 8, 31), closed: At(2027, 12, 1)), Defaults));
        Assert.Equal((At(2028, 5, 31), RetentionOutcome.NoDecision),
            RetentionRule.Due(Facts(status, received: At(2027, 8, 31)), Defaults with { NoDecisionMonthsAfterReceipt = 9 }));
    }

    [Fact]
    public void A_decision_or_withdrawal_after_closing_follows_its_own_rule()
    {
        Assert.Equal(RetentionOutcome.Rejected, RetentionRule.Due(Facts(Rejected, At(2027, 9, 1), closed: At(2027, 8, 1)), Defaults).Outcome);
        Assert.Equal(RetentionOutcome.Withdrawn,
            RetentionRule.Due(Facts(Withdrawn, withdrawn: At(2027, 9, 1), closed: At(2027, 8, 1)), Defaults).Outcome);
    }

    [Fact]
    public void Talent_pool_consent_keeps_the_data_for_its_period_from_the_consent_only_when_that_ends_later()
    {
        Assert.Equal((At(2029, 8, 31), RetentionOutcome.TalentPool),
            RetentionRule.Due(Facts(Rejected, At(2027, 9, 1), consent: At(2027, 8, 31)), Defaults));
        // A short talent-pool period that ends before the rejection's own: the rejection's date stands.
        Assert.Equal((At(2028, 3, 1), RetentionOutcome.Rejected),
            RetentionRule.Due(Facts(Rejected, At(2027, 9, 1), consent: At(2027, 8, 31)), Defaults with { TalentPoolMonths = 3 }));
        // Equal dates: no reason to name the talent pool.
        Assert.Equal((At(2028, 2, 29), RetentionOutcome.Rejected),
            RetentionRule.Due(Facts(Rejected, At(2027, 8, 31), consent: At(2027, 8, 31)), Defaults with { TalentPoolMonths = 6 }));
    }

    [Fact]
    public void Periods_out_of_bounds_are_refused_and_never_become_a_version()
    {
        Assert.Null(Defaults.Refusal());
        Assert.Equal("Rejected: between 0 and 120 months.", (Defaults with { RejectedMonths = 121 }).Refusal());
        Assert.Equal("Talent pool: between 0 and 120 months.", (Defaults with { TalentPoolMonths = -1 }).Refusal());
        Assert.Equal("No decision, after receipt: between 0 and 120 months.", (Defaults with { NoDecisionMonthsAfterReceipt = 121 }).Refusal());
        Assert.Equal("Withdrawn: between 0 and 3650 days.", (Defaults with { WithdrawnDays = 3651 }).Refusal());
        Assert.Throws<ArgumentException>(() =>
            RetentionPolicy.NextVersion(null, null, Defaults with { HiredMonths = 500 }, Guid.NewGuid(), DateTimeOffset.UnixEpoch));
        Assert.Throws<InvalidOperationException>(() =>
            RetentionPolicy.NextVersion(null, null, Defaults, Guid.NewGuid(), DateTimeOffset.UnixEpoch, removed: true));
        var first = RetentionPolicy.NextVersion(null, Guid.NewGuid(), Defaults, Guid.NewGuid(), DateTimeOffset.UnixEpoch);
        Assert.Equal(2, RetentionPolicy.NextVersion(first, first.JobPostingId, Defaults, Guid.NewGuid(), DateTimeOffset.UnixEpoch).Version);
        Assert.Null(first.AppliedAt);
    }
}
