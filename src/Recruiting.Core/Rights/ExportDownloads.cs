using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Rights;

/// <summary>An export ready to stream: the ZIP's bytes and when it was made.</summary>
public sealed record ExportDownload(Stream Content, DateTimeOffset MadeAt);

/// <summary>Hands a jobseeker their own completed, unexpired export, and audits the download.</summary>
public sealed class ExportDownloads(RecruitingDbContext db, IBlobStore blobs, TimeProvider time)
{
    /// <summary>The export of <paramref name="requestId"/> if it is the user's, finished and not expired; else null.</summary>
    public async Task<ExportDownload?> OpenAsync(Guid userId, Guid requestId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var export = await db.Requests
            .Where(r => r.Id == requestId && r.Type == RequestType.Access && r.Status == RequestStatus.Completed
                        && r.ExportBlobName != null && r.ExportExpiresAt > now
                        && db.Applicants.Any(a => a.Id == r.ApplicantId && a.UserId == userId))
            .Select(r => new { r.Id, r.ApplicantId, BlobName = r.ExportBlobName!, r.CompletedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (export is null)
            return null;
        var content = await blobs.OpenReadAsync(export.BlobName, cancellationToken);
        if (content is null)
            return null; // deleted already: as good as expired

        db.AuditEvents.Add(AuditEvent.Record(AuditAction.ExportDownloaded, Roles.Jobseeker, userId, now,
            requestId: export.Id, applicantId: export.ApplicantId));
        await db.SaveChangesAsync(cancellationToken);
        return new ExportDownload(content, export.CompletedAt ?? now);
    }
}
