using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Results;
using Recruiting.Core.Review;
using Recruiting.Core.Rights;

namespace Recruiting.Core.Retention;

/// <summary>What a hold placed from an application covers: that application, or every application of its applicant.</summary>
public enum HoldScope { Application, Applicant }

/// <summary>One hold as HR's list shows it. Names and titles are null once what they belonged to is deleted.</summary>
public sealed record HoldRow(Guid Id, HoldScope Scope, Guid? ApplicantId, Guid? ApplicationId, string? ApplicantName,
    string? PostingTitle, int ApplicationsCovered, string Reason, DateTimeOffset PlacedAt, DateTimeOffset? EndsAt, DateTimeOffset? LiftedAt);

public sealed record HoldList(IReadOnlyList<HoldRow> Active, IReadOnlyList<HoldRow> Ended);

/// <summary>
/// HR's legal holds (Art. 17(3)(e)): placing and lifting them, each audited with ids only, and keeping the
/// <c>OnLegalHold</c> flag and due dates of the applications they cover in step. Erasure and retention read the holds
/// themselves; an erasure put on hold resumes through the reconcile job once no active hold covers the applicant.
/// </summary>
public sealed class LegalHolds(RecruitingDbContext db, DueDates dueDates, TimeProvider time, ILogger<LegalHolds> logger)
{
    /// <summary>Ended holds (lifted or past their end date) listed below the active ones, newest first.</summary>
    public const int EndedShown = 100;

    public async Task<HoldList> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var active = await Rows(db.LegalHolds.Where(h => h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > now))
                .OrderByDescending(h => h.PlacedAt))
            .ToListAsync(cancellationToken);
        var ended = await Rows(db.LegalHolds.Where(h => h.LiftedAt != null || (h.EndsAt != null && h.EndsAt <= now))
                .OrderByDescending(h => h.LiftedAt ?? h.EndsAt)
                .Take(EndedShown))
            .ToListAsync(cancellationToken);
        return new HoldList(active, ended);
    }

    private IQueryable<HoldRow> Rows(IQueryable<LegalHold> holds) =>
        holds.Select(h => new HoldRow(
            h.Id,
            h.ApplicationId == null ? HoldScope.Applicant : HoldScope.Application,
            h.ApplicantId ?? db.Applications.Where(a => a.Id == h.ApplicationId).Select(a => (Guid?)a.ApplicantId).FirstOrDefault(),
            h.ApplicationId,
            h.ApplicantId != null
                ? db.Applicants.Where(a => a.Id == h.ApplicantId).Select(a => a.FullName).FirstOrDefault()
                : db.Applications.Where(a => a.Id == h.ApplicationId).Select(a => a.Applicant.FullName).FirstOrDefault(),
            db.Applications.Where(a => a.Id == h.ApplicationId).Select(a => a.JobPosting.Title).FirstOrDefault(),
            db.Applications.Count(a => a.Id == h.ApplicationId || a.ApplicantId == h.ApplicantId),
            h.Reason, h.PlacedAt, h.EndsAt, h.LiftedAt));

    /// <summary>
    /// Places a hold on the application or on its applicant, until the end of <paramref name="endsOn"/> (UTC) or until
    /// lifted. Not found: no such application (HR sees every application, restricted ones too).
    /// </summary>
    public async Task<DeskResult> PlaceAsync(StaffMember staff, Guid applicationId, HoldScope scope, string? reason, DateOnly? endsOn,
        CancellationToken cancellationToken)
    {
        if (!staff.IsHr)
            return DeskResult.NotFound;
        var application = await db.Applications.Where(a => a.Id == applicationId)
            .Select(a => new { a.Id, a.ApplicantId })
            .SingleOrDefaultAsync(cancellationToken);
        if (application is null)
            return DeskResult.NotFound;
        if (LegalHold.Refusal(reason) is { } refusal)
            return DeskResult.Refused(refusal);
        var now = time.GetUtcNow();
        DateTimeOffset? endsAt = endsOn is { } day ? new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
        if (endsAt <= now)
            return DeskResult.Refused("The end date cannot be in the past.");

        var hold = scope == HoldScope.Applicant
            ? LegalHold.OnApplicant(application.ApplicantId, reason!, staff.UserId, now, endsAt)
            : LegalHold.OnApplication(application.Id, reason!, staff.UserId, now, endsAt);
        var covered = scope == HoldScope.Applicant
            ? await db.Applications.CountAsync(a => a.ApplicantId == application.ApplicantId, cancellationToken)
            : 1;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.LegalHolds.Add(hold);
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.LegalHoldPlaced, Roles.HR, staff.UserId, now,
            applicantId: application.ApplicantId, applicationId: hold.ApplicationId,
            counts: new Dictionary<string, int> { ["applications"] = covered }));
        await db.SaveChangesAsync(cancellationToken);
        await RecomputeCoveredAsync(hold, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Legal hold {HoldId} placed on {Scope} by {UserId}", hold.Id, scope, staff.UserId);
        return DeskResult.Done();
    }

    /// <summary>Lifts an active hold; what it covered becomes due again at the next run, and a held erasure resumes.</summary>
    public async Task<DeskResult> LiftAsync(StaffMember staff, Guid holdId, CancellationToken cancellationToken)
    {
        if (!staff.IsHr)
            return DeskResult.NotFound;
        var hold = await db.LegalHolds.SingleOrDefaultAsync(h => h.Id == holdId, cancellationToken);
        if (hold is null)
            return DeskResult.NotFound;
        var now = time.GetUtcNow();
        if (!hold.IsActive(now))
            return DeskResult.Refused("This hold has already ended.");

        var applicantId = hold.ApplicantId
                          ?? await db.Applications.Where(a => a.Id == hold.ApplicationId).Select(a => (Guid?)a.ApplicantId).SingleOrDefaultAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        hold.Lift(staff.UserId, now);
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.LegalHoldLifted, Roles.HR, staff.UserId, now,
            applicantId: applicantId, applicationId: hold.ApplicationId));
        await db.SaveChangesAsync(cancellationToken);
        await RecomputeCoveredAsync(hold, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Legal hold {HoldId} lifted by {UserId}", hold.Id, staff.UserId);
        return DeskResult.Done();
    }

    /// <summary>
    /// Clears the flag of applications whose every hold has reached its end date (nobody lifted them, so nothing else
    /// recomputes them). Run by housekeeping each enforcement run; returns how many applications changed.
    /// </summary>
    public Task<int> RefreshEndedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return dueDates.RecomputeAsync(
            db.Applications.Where(a => a.OnLegalHold && !db.LegalHolds.Any(h => h.LiftedAt == null && (h.EndsAt == null || h.EndsAt > now)
                && (h.ApplicationId == a.Id || h.ApplicantId == a.ApplicantId))),
            cancellationToken);
    }

    private Task RecomputeCoveredAsync(LegalHold hold, CancellationToken cancellationToken) =>
        hold.ApplicantId is { } applicantId
            ? dueDates.RecomputeForApplicantAsync(applicantId, cancellationToken)
            : dueDates.RecomputeAsync([hold.ApplicationId!.Value], cancellationToken);
}
