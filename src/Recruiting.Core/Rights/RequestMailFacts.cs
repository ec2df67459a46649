using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;

namespace Recruiting.Core.Rights;

/// <summary>A request a mail is about, and whom to tell; null once the jobseeker is erased.</summary>
public sealed record RequestMailFacts(DataSubjectRequest Request, string FullName, string Email)
{
    public static async Task<RequestMailFacts?> ReadAsync(RecruitingDbContext db, Guid? requestId, CancellationToken cancellationToken)
    {
        var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request?.ApplicantId is null) return null;
        var applicant = await db.Applicants.Where(a => a.Id == request.ApplicantId)
            .Select(a => new { a.FullName, a.Email })
            .SingleOrDefaultAsync(cancellationToken);
        return applicant is null ? null : new RequestMailFacts(request, applicant.FullName, applicant.Email);
    }
}
