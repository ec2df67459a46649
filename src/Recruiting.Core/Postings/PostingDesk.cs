using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Results;

namespace Recruiting.Core.Postings;

/// <summary>
/// The one place postings are created, edited, opened, closed and assigned. Every method taking a
/// <see cref="StaffMember"/> checks access on the data: a posting outside theirs is not found, like one that does not exist.
/// Opening and closing run every <see cref="IPostingStatusHandler"/> in the transaction that saves the change.
/// </summary>
public sealed class PostingDesk(
    RecruitingDbContext db,
    UserManager<AppUser> users,
    IEnumerable<IPostingStatusHandler> statusHandlers,
    TimeProvider time,
    ILogger<PostingDesk> logger) : IStaffRoleHandler
{
    /// <summary>The postings a staff member handles: HR all, a recruiter those assigned to them.</summary>
    public IQueryable<JobPosting> PostingsOf(StaffMember staff) =>
        staff.IsHr
            ? db.JobPostings
            : db.JobPostings.Where(p => db.PostingAssignments.Any(a => a.JobPostingId == p.Id && a.RecruiterUserId == staff.UserId));

    public Task<JobPosting?> FindAsync(StaffMember staff, Guid postingId, CancellationToken cancellationToken) =>
        PostingsOf(staff).SingleOrDefaultAsync(p => p.Id == postingId, cancellationToken);

    /// <summary>Creates a draft; a recruiter's own posting is theirs to handle, so they are assigned to it.</summary>
    public async Task<JobPosting> CreateAsync(StaffMember staff, string title, string location, string description,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var posting = JobPosting.Create(title, location, description, now);
        db.JobPostings.Add(posting);
        if (!staff.IsHr)
            db.PostingAssignments.Add(new PostingAssignment(posting.Id, staff.UserId, now));
        await db.SaveChangesAsync(cancellationToken);
        return posting;
    }

    public async Task<DeskResult> EditAsync(StaffMember staff, Guid postingId, string title, string location, string description,
        CancellationToken cancellationToken)
    {
        var posting = await FindAsync(staff, postingId, cancellationToken);
        if (posting is null)
            return DeskResult.NotFound;
        posting.Edit(title, location, description);
        await db.SaveChangesAsync(cancellationToken);
        return DeskResult.Done();
    }

    /// <summary>Opens the posting: it is listed publicly and accepts applications.</summary>
    public Task<DeskResult> OpenAsync(StaffMember staff, Guid postingId, CancellationToken cancellationToken) =>
        ChangeStatusAsync(staff, postingId, (posting, now) => posting.Open(now), cancellationToken);

    /// <summary>Closes the posting: it no longer accepts applications.</summary>
    public Task<DeskResult> CloseAsync(StaffMember staff, Guid postingId, CancellationToken cancellationToken) =>
        ChangeStatusAsync(staff, postingId, (posting, now) => posting.Close(now), cancellationToken);

    private async Task<DeskResult> ChangeStatusAsync(StaffMember staff, Guid postingId, Action<JobPosting, DateTimeOffset> change,
        CancellationToken cancellationToken)
    {
        var posting = await FindAsync(staff, postingId, cancellationToken);
        if (posting is null)
            return DeskResult.NotFound;
        var before = posting.Status;
        change(posting, time.GetUtcNow());
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            foreach (var handler in statusHandlers)
                await handler.StatusChangedAsync(posting, before, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var handler in statusHandlers)
            handler.Committed(posting);
        logger.LogInformation("Posting {PostingId} {Status} by {UserId}", postingId, posting.Status, staff.UserId);
        return DeskResult.Done();
    }

    /// <summary>Every recruiter, and whether they are assigned to the posting.</summary>
    public async Task<IReadOnlyList<(Guid UserId, string Email, bool Assigned)>> RecruitersForAsync(Guid postingId,
        CancellationToken cancellationToken)
    {
        var recruiters = await users.GetUsersInRoleAsync(Roles.Recruiter);
        var assigned = await db.PostingAssignments.Where(a => a.JobPostingId == postingId).Select(a => a.RecruiterUserId)
            .ToListAsync(cancellationToken);
        return recruiters.OrderBy(r => r.Email).Select(r => (r.Id, r.Email ?? "", assigned.Contains(r.Id))).ToList();
    }

    /// <summary>Makes exactly <paramref name="recruiterIds"/> the posting's recruiters (ids that are not recruiters are ignored).</summary>
    public async Task AssignAsync(Guid postingId, IReadOnlyCollection<Guid> recruiterIds, CancellationToken cancellationToken)
    {
        var recruiters = (await users.GetUsersInRoleAsync(Roles.Recruiter)).Select(u => u.Id).Intersect(recruiterIds).ToHashSet();
        var existing = await db.PostingAssignments.Where(a => a.JobPostingId == postingId).ToListAsync(cancellationToken);
        db.PostingAssignments.RemoveRange(existing.Where(a => !recruiters.Contains(a.RecruiterUserId)));
        foreach (var id in recruiters.Except(existing.Select(a => a.RecruiterUserId)))
            db.PostingAssignments.Add(new PostingAssignment(postingId, id, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Only recruiters are assigned to postings: someone who stops being one keeps none.</summary>
    public async Task RoleChangedAsync(Guid userId, string role, CancellationToken cancellationToken)
    {
        if (role != Roles.Recruiter)
            await db.PostingAssignments.Where(a => a.RecruiterUserId == userId).ExecuteDeleteAsync(cancellationToken);
    }
}
