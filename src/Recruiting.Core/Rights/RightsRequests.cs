using Hangfire;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
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
    public Task<DataSubjectRequest> FileAsync(Applicant applicant, RequestType type, CancellationToken cancellationToken,
        Guid? applicationId = null, string? details = null, bool bySystem = false) =>
        FileAsync(DataSubjectRequest.File(type, applicant.Id, time.GetUtcNow(), applicationId, details),
            bySystem ? AuditEvent.SystemActor : Roles.Jobseeker, bySystem ? null : applicant.UserId, cancellationToken);

    /// <summary>
    /// Files a request made ready by the caller (logged by HR, or confirmed from a visitor's mailbox) the same way:
    /// audited with <paramref name="actorRole"/>, and access and erasure handed to their jobs.
    /// </summary>
    public async Task<DataSubjectRequest> FileAsync(DataSubjectRequest request, string actorRole, Guid? actorUserId,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Marked as handed over in the same commit: a reconcile run between the commit and the enqueue would otherwise
        // find it unhanded and enqueue it a second time. If this process dies before the enqueue, reconcile hands it
        // over once the mark is stale (at once after a restart of the embedded default, whose job storage died with it).
        if (request.RunsByItself)
            request.MarkEnqueued(now);
        db.Requests.Add(request);
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.RequestFiled, actorRole, actorUserId, now,
            requestId: request.Id, applicantId: request.ApplicantId, applicationId: request.ApplicationId));
        await db.SaveChangesAsync(cancellationToken);

        // After the commit, so the job always finds its row.
        if (request.Type == RequestType.Access)
            jobs.Enqueue<ExportJob>(j => j.RunAsync(request.Id, CancellationToken.None));
        else if (request.Type == RequestType.Erasure)
            jobs.Enqueue<ErasureJob>(j => j.RunAsync(request.Id, CancellationToken.None));
        return request;
    }
}
