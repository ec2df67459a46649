using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Rights;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Infrastructure;

/// <summary>Reads the My data page: everything held about one jobseeker, found through their own user id only.</summary>
public static class MyDataQuery
{
    public static async Task<MyDataPage?> ReadAsync(RecruitingDbContext db, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
            return null;
        var applicant = await db.Applicants.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        var profile = new MyProfileView
        {
            HasProfile = applicant is not null,
            FullName = applicant?.FullName ?? "",
            Email = applicant?.Email ?? "",
            Phone = applicant?.Phone ?? "",
            Address = applicant?.Address,
            ProfileUpdatedAt = applicant?.UpdatedAt,
            AccountEmail = user.Email ?? "",
            EmailConfirmed = user.EmailConfirmed,
            PendingEmail = user.PendingEmail,
            AccountCreatedAt = user.CreatedAt,
            LastSignInAt = user.LastSignInAt,
        };
        if (applicant is null)
            return new MyDataPage { Profile = profile };

        var openObjections = await db.Requests
            .Where(r => r.ApplicantId == applicant.Id && r.Type == RequestType.Objection
                        && (r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress) && r.ApplicationId != null)
            .Select(r => r.ApplicationId!.Value)
            .ToListAsync(cancellationToken);
        var applications = await db.Applications
            .Where(a => a.ApplicantId == applicant.Id)
            .OrderByDescending(a => a.SubmittedAt)
            .Select(a => new MyDataApplication
            {
                Id = a.Id,
                JobPostingId = a.JobPostingId,
                JobPostingTitle = a.JobPosting.Title,
                Status = a.Status,
                SubmittedAt = a.SubmittedAt,
                DecisionAt = a.DecisionAt,
                WithdrawnAt = a.WithdrawnAt,
                DeletionDueAt = a.DeletionDueAt,
                IsRestricted = a.IsRestricted,
                InTalentPool = a.InTalentPool,
                LegalBasis = a.LegalBasis,
                NoticeVersion = a.NoticeVersion,
                CoverLetter = a.CoverLetter,
                ObjectionOpen = openObjections.Contains(a.Id),
                Documents = a.Documents.OrderBy(d => d.Kind).ThenBy(d => d.UploadedAt)
                    .Select(d => new DocumentLink { Id = d.Id, Kind = d.Kind, OriginalFileName = d.OriginalFileName, Size = d.Size })
                    .ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(cancellationToken);

        var log = await db.AccessLog.AsNoTracking()
            .Where(e => e.ApplicantId == applicant.Id)
            .OrderBy(e => e.At)
            .ToListAsync(cancellationToken);
        foreach (var application in applications)
            application.AccessLog = AccessLogLine.Summarise(log.Where(e => e.ApplicationId == application.Id));

        var titles = applications.ToDictionary(a => a.Id, a => a.JobPostingTitle);
        var consents = (await db.Consents.AsNoTracking()
                .Where(c => c.ApplicantId == applicant.Id)
                .OrderByDescending(c => c.GivenAt)
                .ToListAsync(cancellationToken))
            .Select(c => new MyConsentView
            {
                Id = c.Id, ApplicationId = c.ApplicationId, Purpose = c.Purpose, TextVersion = c.TextVersion,
                GivenAt = c.GivenAt, WithdrawnAt = c.WithdrawnAt,
                JobPostingTitle = c.ApplicationId is { } id ? titles.GetValueOrDefault(id) : null,
            })
            .ToList();
        var requests = (await db.Requests.AsNoTracking()
                .Where(r => r.ApplicantId == applicant.Id)
                .OrderByDescending(r => r.ReceivedAt)
                .ToListAsync(cancellationToken))
            .Select(r => new MyRequestView
            {
                Id = r.Id, Type = r.Type, Status = r.Status, ReceivedAt = r.ReceivedAt, DueAt = r.DueAt, CompletedAt = r.CompletedAt,
                Details = r.Details, Answer = r.Answer,
                JobPostingTitle = r.ApplicationId is { } id ? titles.GetValueOrDefault(id) : null,
                ExportAvailable = r.Type == RequestType.Access && r.Status == RequestStatus.Completed && r.ExportBlobName is not null
                                  && (r.ExportExpiresAt is null || r.ExportExpiresAt > now),
                ExportExpiresAt = r.ExportExpiresAt,
            })
            .ToList();

        return new MyDataPage
        {
            Profile = profile,
            Applications = applications,
            Consents = consents,
            Requests = requests,
            AccessRequestOpen = requests.Any(r => r.Type == RequestType.Access && r.Status is RequestStatus.Received or RequestStatus.InProgress),
        };
    }
}
