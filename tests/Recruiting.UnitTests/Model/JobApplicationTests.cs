using Recruiting.Core.Applications;
using Recruiting.Core.Postings;

namespace Recruiting.UnitTests.Model;

public sealed class JobApplicationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private static readonly ContactDetails Contact = new(" Ada Lovelace ", "ada@example.test", "+47 400 00 000", " ");

    private static JobPosting OpenPosting()
    {
        var posting = JobPosting.Create("Engineer", "Oslo", "Text", Now);
        posting.Open(Now);
        return posting;
    }

    [Fact]
    public void An_application_is_received_under_the_agreement_basis_with_the_notice_version_shown()
    {
        var applicant = Applicant.Create(Guid.NewGuid(), Contact, Now);
        var application = JobApplication.Submit(applicant, OpenPosting(), " Hello ", "2026-11-29", Now);

        Assert.Equal(ApplicationStatus.Received, application.Status);
        Assert.Equal(LegalBasis.Agreement, application.LegalBasis);
        Assert.Equal("2026-11-29", application.NoticeVersion);
        Assert.Equal("Hello", application.CoverLetter);
        Assert.Equal(Now, application.SubmittedAt);
        Assert.Equal("Ada Lovelace", applicant.FullName);
        Assert.Null(applicant.Address); // blank optional fields are not stored
    }

    [Fact]
    public void A_posting_that_is_not_open_refuses_applications()
    {
        var posting = OpenPosting();
        posting.Close(Now);
        var applicant = Applicant.Create(Guid.NewGuid(), Contact, Now);
        Assert.Throws<InvalidOperationException>(() => JobApplication.Submit(applicant, posting, "Hi", "v", Now));
    }

    [Fact]
    public void An_application_holds_one_cv_and_at_most_three_further_documents()
    {
        var application = JobApplication.Submit(Applicant.Create(Guid.NewGuid(), Contact, Now), OpenPosting(), "Hi", "v", Now);
        Attach(DocumentKind.Cv);
        Assert.Throws<InvalidOperationException>(() => Attach(DocumentKind.Cv));
        for (var i = 0; i < JobApplication.MaxFurtherDocuments; i++)
            Attach(DocumentKind.Other);
        Assert.Throws<InvalidOperationException>(() => Attach(DocumentKind.Other));
        Assert.Equal(1 + JobApplication.MaxFurtherDocuments, application.Documents.Count);

        void Attach(DocumentKind kind) =>
            application.AttachDocument(kind, $"documents/{Guid.NewGuid():N}", "cv.pdf", "application/pdf", 10, new string('a', 64), Now);
    }
}

public sealed class PipelineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static JobApplication Received()
    {
        var posting = JobPosting.Create("Engineer", "Oslo", "Text", Now);
        posting.Open(Now);
        return JobApplication.Submit(Applicant.Create(Guid.NewGuid(), new ContactDetails("A", "a@b.test", "1", null), Now), posting, "Hi", "v", Now);
    }

    [Fact]
    public void Each_step_allows_only_the_next_one_or_a_rejection()
    {
        var application = Received();
        Assert.Equal([ApplicationStatus.Screening, ApplicationStatus.Rejected], application.AllowedMoves);
        Assert.Contains("can move only to Screening or Rejected", application.MoveRefusal(ApplicationStatus.Offer));
        Assert.Throws<InvalidOperationException>(() => application.MoveTo(ApplicationStatus.Offer, Now));

        application.MoveTo(ApplicationStatus.Screening, Now);
        application.MoveTo(ApplicationStatus.Interview, Now);
        application.MoveTo(ApplicationStatus.Offer, Now);
        Assert.Null(application.DecisionAt);
        application.MoveTo(ApplicationStatus.Hired, Now.AddDays(1));

        Assert.Equal(Now.AddDays(1), application.DecisionAt);
        Assert.Empty(application.AllowedMoves);
        Assert.Contains("can no longer change", application.MoveRefusal(ApplicationStatus.Screening));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public void Rejection_is_possible_at_any_open_step_and_records_the_decision_time(int stepsFirst)
    {
        var application = Received();
        for (var i = 0; i < stepsFirst; i++)
            application.MoveTo(application.AllowedMoves[0], Now);

        application.MoveTo(ApplicationStatus.Rejected, Now.AddHours(5));

        Assert.Equal(ApplicationStatus.Rejected, application.Status);
        Assert.Equal(Now.AddHours(5), application.DecisionAt);
        Assert.False(application.IsOpen);
    }

    [Fact]
    public void Withdrawal_records_its_time_and_ends_the_pipeline()
    {
        var application = Received();
        application.Withdraw(Now.AddDays(2));
        Assert.Equal(ApplicationStatus.Withdrawn, application.Status);
        Assert.Equal(Now.AddDays(2), application.WithdrawnAt);
        Assert.Null(application.DecisionAt);
        Assert.Throws<InvalidOperationException>(() => application.Withdraw(Now));
        Assert.Throws<InvalidOperationException>(() => application.MoveTo(ApplicationStatus.Screening, Now));
    }
}
