using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Retention;

namespace Recruiting.Core.Rights;

/// <summary>
/// The retention run's inactive applicants are erased as in an erasure: a request filed on their behalf (audited as the
/// system's), carried out by <see cref="ErasureJob"/> with its receipt, tombstone and crash-safety. An unfinished
/// request keeps the applicant out of the next run's selection, so a rerun never files twice.
/// </summary>
public sealed class InactiveApplicantErasure(RecruitingDbContext db, RightsRequests rights) : IInactiveApplicantErasure
{
    /// <summary>The details of the request filed (no personal data).</summary>
    public const string Details = "Retention: account inactive";

    public IQueryable<Applicant> NotBeingErased(IQueryable<Applicant> applicants) =>
        applicants.Where(a => !db.Requests.Any(r => r.ApplicantId == a.Id && r.Type == RequestType.Erasure
            && (r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress || r.Status == RequestStatus.OnHold)));

    public Task FileAsync(Applicant applicant, CancellationToken cancellationToken) =>
        rights.FileAsync(applicant, RequestType.Erasure, cancellationToken, details: Details, bySystem: true);
}
