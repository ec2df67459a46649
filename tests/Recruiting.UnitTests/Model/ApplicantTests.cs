using Recruiting.Core.Applications;

namespace Recruiting.UnitTests.Model;

public sealed class ApplicantTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Details_are_kept_trimmed_with_the_email_lower_cased_and_an_empty_address_as_none()
    {
        var applicant = Applicant.Create(Guid.NewGuid(), new ContactDetails(" Ada Lovelace ", " Ada@Example.TEST ", " +47 400 00 000 ", "  "), Created);

        Assert.Equal(new ContactDetails("Ada Lovelace", "ada@example.test", "+47 400 00 000", null), applicant.Contact);
        Assert.Equal(Created, applicant.UpdatedAt);
    }

    [Fact]
    public void The_same_details_given_again_leave_the_record_unchanged_and_new_ones_date_it()
    {
        var applicant = Applicant.Create(Guid.NewGuid(), new ContactDetails("Ada Lovelace", "ada@example.test", "+47 400 00 000", null), Created);

        // As a second application sends them: the same details, written differently.
        applicant.UpdateContactDetails(new ContactDetails("Ada Lovelace ", "ADA@example.test", "+47 400 00 000", ""), Created.AddDays(1));
        Assert.Equal(Created, applicant.UpdatedAt);

        applicant.UpdateContactDetails(applicant.Contact with { Phone = "+47 900 00 000" }, Created.AddDays(2));
        Assert.Equal("+47 900 00 000", applicant.Phone);
        Assert.Equal(Created.AddDays(2), applicant.UpdatedAt);
    }
}
