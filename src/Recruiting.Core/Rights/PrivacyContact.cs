using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;
using Recruiting.Core.Results;

namespace Recruiting.Core.Rights;

/// <summary>
/// The privacy contact form: a signed-in jobseeker's question or complaint becomes a request of type
/// <see cref="RequestType.Question"/> on HR's desk, due in one month like any other. Messages from people without an
/// account are not stored: they could not see, export or erase them. A visitor without a working account can still
/// ask for access or erasure: the request is filed once they open a link mailed to the address, and every answer on
/// the way reads the same whether or not we hold data about it.
/// </summary>
public sealed class PrivacyContact(
    RecruitingDbContext db,
    RightsRequests rights,
    IMailSender mail,
    IPortalLinks links,
    TimeProvider time,
    ILogger<PrivacyContact> logger)
{
    public const int MessageMaxLength = DataSubjectRequest.DetailsMaxLength;

    public async Task<DeskResult<DataSubjectRequest>> AskAsync(Guid userId, string? message, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(message))
            return DeskResult<DataSubjectRequest>.Refused("Write your question or complaint.");
        if (message.Trim().Length > MessageMaxLength)
            return DeskResult<DataSubjectRequest>.Refused($"Your message can be at most {MessageMaxLength} characters.");
        // The answer goes to this address, so it must be proven to be theirs (rights actions need a confirmed address).
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.EmailConfirmed, cancellationToken))
            return DeskResult<DataSubjectRequest>.Refused("Please confirm your email address first, with the link we mailed you: our answer goes to that address.");
        var applicant = await rights.ApplicantOfAsync(userId, cancellationToken);
        if (applicant is null)
            return DeskResult<DataSubjectRequest>.Refused("Your account has no applicant profile to answer about. Please write to us by email.");
        return DeskResult.Done(await rights.FileAsync(applicant, RequestType.Question, cancellationToken, details: message));
    }

    /// <summary>
    /// Keeps the visitor's request and mails the address a link that files it. Sent whatever the address, so neither the
    /// page nor the mailbox of someone else tells whether we know it.
    /// </summary>
    public async Task RequestByMailAsync(string email, RequestType type, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (row, token) = VisitorRequest.Create(email, type, now);
        db.VisitorRequests.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        var link = links.ConfirmVisitorRequest(row.Id, token);
        var what = type == RequestType.Access ? "a copy of the data we hold about you" : "the erasure of the data we hold about you";
        await mail.SendAsync(new OutgoingMail(row.Id, row.Email, "Confirm your request about your data",
            $"Someone, we hope you, asked on our privacy page for {what}, for this email address.\n\n"
            + $"To confirm that the request is yours, open this link and press the button on the page:\n{link}\n\n"
            + $"The link works for {(int)VisitorRequest.LinkLifetime.TotalHours} hours. If you did not ask, ignore this mail: nothing happens."),
            cancellationToken);
        logger.LogInformation("Visitor request {VisitorRequestId} ({Type}) awaits confirmation", row.Id, type);
    }

    /// <summary>
    /// The link was opened and its button pressed: files the request for the applicant with the address, or mails that
    /// we hold nothing about it. False only when the link is unknown, used or expired. The row goes either way.
    /// </summary>
    public async Task<bool> ConfirmAsync(Guid visitorRequestId, string? token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = await db.VisitorRequests.SingleOrDefaultAsync(v => v.Id == visitorRequestId, cancellationToken);
        if (row is null || !row.Opens(token, now))
            return false;
        // Deleted first and only by one of two racing presses, so one press files one request.
        if (await db.VisitorRequests.Where(v => v.Id == row.Id).ExecuteDeleteAsync(cancellationToken) == 0)
            return false;

        var applicant = await db.Applicants.SingleOrDefaultAsync(a => a.Email == row.Email, cancellationToken);
        if (applicant is null)
        {
            await mail.SendAsync(new OutgoingMail(Guid.NewGuid(), row.Email, "Your request about your data",
                "You confirmed a request about the data we hold for this email address.\n\n"
                + "We hold no data about this address: no application or account of a jobseeker uses it, so there is nothing to "
                + "copy or delete. If you applied with another address, make the request for that one."), cancellationToken);
            logger.LogInformation("Visitor request {VisitorRequestId} confirmed; no applicant has the address", row.Id);
            return true;
        }

        var unfinished = await db.Requests.AnyAsync(r => r.ApplicantId == applicant.Id && r.Type == row.Type
            && (r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress || r.Status == RequestStatus.OnHold),
            cancellationToken);
        if (!unfinished)
        {
            var request = await rights.FileAsync(DataSubjectRequest.FileFromWebForm(row.Type, applicant.Id, now),
                Identity.Roles.Jobseeker, null, cancellationToken);
            await mail.SendAsync(new OutgoingMail(Guid.NewGuid(), row.Email, "Your request about your data",
                $"You confirmed your request for {(row.Type == RequestType.Access ? "a copy of your data" : "the erasure of your data")}. "
                + $"It is filed as request {request.Id.ToString()[..8]}; we carry it out by {request.DueAt:d MMMM yyyy} at the latest "
                + "and tell you by email."), cancellationToken);
            logger.LogInformation("Visitor request {VisitorRequestId} filed as request {RequestId}", row.Id, request.Id);
        }
        else
            await mail.SendAsync(new OutgoingMail(Guid.NewGuid(), row.Email, "Your request about your data",
                "You confirmed a request about your data. We are already handling a request of yours of this kind: "
                + "we tell you by email when it is done."), cancellationToken);
        return true;
    }
}
