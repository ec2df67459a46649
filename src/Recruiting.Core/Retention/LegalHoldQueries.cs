using Recruiting.Core.Data;

namespace Recruiting.Core.Retention;

public static class LegalHoldQueries
{
    /// <summary>The active holds on the applicant or on any application of theirs.</summary>
    public static IQueryable<LegalHold> ActiveCovering(this RecruitingDbContext db, Guid applicantId, DateTimeOffset now) =>
        db.LegalHolds.Where(h => h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > now)
            && (h.ApplicantId == applicantId
                || db.Applications.Any(a => a.Id == h.ApplicationId && a.ApplicantId == applicantId)));
}
