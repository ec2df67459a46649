using Hangfire;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;

namespace Recruiting.Core.Rights;

/// <summary>Files a jobseeker's data-subject requests and hands the ones that run by themselves to their jobs.</summary>
public sealed class RightsRequests(RecruitingDbContext db, IBackgroundJobClient jobs, TimeProvider time)
{
    /// <summary>The applicant profile of a signed-in jobseeker, or null when they have none.</summary>
    public Task<Applicant?> ApplicantOfAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Applicants.SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);

    /// <summary>
    /// Files the request, audits it, and, for access and erasure, enqueues its job once the row is committed.
    /// <paramref name="bySystem"/>: filed by a job on the applicant's behalf (retention's account-inactivity erasure);
    /// the audit event then names the system, not the jobseeker, as the actor.
    /// </summary>
    public async Task<DataSubjectRequest> FileAsync(Applicant applicant, RequestType type, CancellationToken cancellationToken,
        Guid? applicationId = null, string? details = null, bool bySystem = false)
    {
        var now = time.GetUtcNow();
        var request = DataSubjectRequest.File(type, applicant.Id, now, applicationId, details);
        db.Requests.Add(request);
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.RequestFiled, bySystem ? AuditEvent.SystemActor : Roles.Jobseeker,
            bySystem ? null : applicant.UserId, now,
            requestId: request.Id, applicantId: applicant.Id, applicationId: applicationId));
        await db.SaveChangesAsync(cancellationToken);

        if (request.RunsByItself)
        {
            // After the commit, so the job always finds its row; if this process dies first, the reconcile job enqueues it.
            if (type == RequestType.Access)
                jobs.Enqueue<ExportJob>(j => j.RunAsync(request.Id, CancellationToken.None));
            else
                jobs.Enqueue<ErasureJob>(j => j.RunAsync(request.Id, CancellationToken.None));
            request.MarkEnqueued(now);
            await db.SaveChangesAsync(cancellationToken);
        }
        return request;
    }
}
