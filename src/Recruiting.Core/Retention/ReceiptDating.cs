using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;

namespace Recruiting.Core.Retention;

/// <summary>
/// Dates a new application from what is known before it is stored: the posting's periods and the holds on its applicant.
/// It gives what <see cref="DueDates"/> would compute for the stored application (no decision yet, consent given at receipt,
/// no hold on an application that does not exist yet) without reading the application back inside the write.
/// </summary>
public sealed class ReceiptDating(RecruitingDbContext db, DueDates dueDates) : IReceiptRetention
{
    // Runs for every application; compiled once, it skips translating the LINQ each time.
    private static readonly Func<RecruitingDbContext, Guid, DateTimeOffset, CancellationToken, Task<bool>> IsHeld =
        EF.CompileAsyncQuery((RecruitingDbContext db, Guid applicantId, DateTimeOffset at, CancellationToken _) =>
            db.LegalHolds.Any(h => h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > at) && h.ApplicantId == applicantId));

    public async Task<ReceiptRetention> AtReceiptAsync(JobPosting posting, Guid? applicantId, DateTimeOffset receivedAt,
        bool talentPoolConsent, CancellationToken cancellationToken)
    {
        var periods = await dueDates.PeriodsForAsync(posting.Id, cancellationToken);
        var facts = new RetentionRule.Facts(ApplicationStatus.Received, receivedAt, DecisionAt: null, WithdrawnAt: null,
            posting.ClosedAt, talentPoolConsent ? receivedAt : null);
        var (due, outcome) = RetentionRule.Due(facts, periods);
        var held = applicantId is { } id && await IsHeld(db, id, receivedAt, cancellationToken);
        return new ReceiptRetention(due, outcome, held);
    }
}
