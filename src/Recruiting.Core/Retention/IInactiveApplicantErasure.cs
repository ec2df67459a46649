using Recruiting.Core.Applications;

namespace Recruiting.Core.Retention;

/// <summary>
/// How the retention run has an applicant it left inactive erased. Erasure requests belong to the rights feature, which
/// builds on retention (due dates, deletion), so the run reaches them through this port instead of filing them itself.
/// </summary>
public interface IInactiveApplicantErasure
{
    /// <summary>The given applicants less those with an erasure already under way; stays a query, so the run can page it.</summary>
    IQueryable<Applicant> NotBeingErased(IQueryable<Applicant> applicants);

    /// <summary>Files an erasure request on the applicant's behalf, as the system; it is carried out like any other.</summary>
    Task FileAsync(Applicant applicant, CancellationToken cancellationToken);
}
