using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;

namespace Recruiting.Core.Applications;

/// <summary>Whom a mail about an application goes to, and the posting it names; null once the application is deleted.</summary>
public sealed record ApplicationMailFacts(string FullName, string Email, string PostingTitle)
{
    public static Task<ApplicationMailFacts?> ReadAsync(RecruitingDbContext db, Guid? applicationId, CancellationToken cancellationToken) =>
        db.Applications
            .Where(a => a.Id == applicationId)
            .Select(a => new ApplicationMailFacts(a.Applicant.FullName, a.Applicant.Email, a.JobPosting.Title))
            .SingleOrDefaultAsync(cancellationToken);
}
