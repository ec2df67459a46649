using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;

namespace Recruiting.Core.Rights;

public sealed record ContactResult(DataSubjectRequest? Request, string? Refusal);

/// <summary>
/// The privacy contact form: a signed-in jobseeker's question or complaint becomes a request of type
/// <see cref="RequestType.Question"/> on HR's desk, due in one month like any other. Messages from people without an
/// account are not stored: they could not see, export or erase them.
/// </summary>
public sealed class PrivacyContact(RecruitingDbContext db, RightsRequests rights)
{
    public const int MessageMaxLength = DataSubjectRequest.DetailsMaxLength;

    public async Task<ContactResult> AskAsync(Guid userId, string? message, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(message))
            return new ContactResult(null, "Write your question or complaint.");
        if (message.Trim().Length > MessageMaxLength)
            return new ContactResult(null, $"Your message can be at most {MessageMaxLength} characters.");
        // The answer goes to this address, so it must be proven to be theirs (rights actions need a confirmed address).
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.EmailConfirmed, cancellationToken))
            return new ContactResult(null, "Please confirm your email address first, with the link we mailed you: our answer goes to that address.");
        var applicant = await rights.ApplicantOfAsync(userId, cancellationToken);
        if (applicant is null)
            return new ContactResult(null, "Your account has no applicant profile to answer about. Please write to us by email.");
        return new ContactResult(await rights.FileAsync(applicant, RequestType.Question, cancellationToken, details: message), null);
    }
}
