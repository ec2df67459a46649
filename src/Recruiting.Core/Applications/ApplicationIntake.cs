using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Audit;
using Recruiting.Core.Consent;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Rights;
using Recruiting.Core.Storage;
using Recruiting.Core.Uploads;

namespace Recruiting.Core.Applications;

/// <summary>
/// A file as it arrived; <see cref="OpenAsync"/> gives a readable, seekable stream of its bytes. <see cref="Staged"/> is
/// the blob the bytes were streamed into on arrival, if they were.
/// </summary>
public sealed record IncomingFile(string? FileName, long Length, Func<CancellationToken, Task<Stream>> OpenAsync, StagedBlob? Staged = null)
{
    /// <summary>The blob that holds the bytes: the staged one, else one written now.</summary>
    public async Task<StoredBlob> StoreAsync(IBlobStore blobs, CancellationToken cancellationToken)
    {
        if (Staged is not null)
            return Staged.Blob;
        await using var content = await OpenAsync(cancellationToken);
        return await blobs.PutAsync(BlobNames.NewDocument(), content, cancellationToken);
    }

    /// <summary>Once the row that refers to the stored blob is committed: a staged blob stays after the request.</summary>
    public void Keep() => Staged?.Keep();
}

/// <summary>An application as the form gives it.</summary>
/// <param name="Contact">For a signed-in jobseeker (<paramref name="UserId"/>), the email is the account's address, put in
/// by the caller from the account: the sign-in name moves only in two steps (EmailChanges), never by a form.</param>
public sealed record ApplyRequest(
    Guid PostingId,
    Guid? UserId,
    string? NewAccountPassword,
    ContactDetails Contact,
    string CoverLetter,
    string NoticeVersion,
    IncomingFile? Cv,
    IReadOnlyList<IncomingFile> FurtherDocuments,
    bool TalentPoolConsent = false);

public enum ApplyOutcome
{
    Refused,
    Stored,
    /// <summary>A visitor gave an address that already has an account: nothing stored, its owner mailed.</summary>
    AccountHolderMailed,
}

/// <summary>The outcome; for <see cref="ApplyOutcome.Refused"/> the refusals keyed by form field ("" for the whole form).</summary>
public sealed record ApplyResult(ApplyOutcome Outcome, Guid? ApplicationId, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Outcome != ApplyOutcome.Refused;
    public static ApplyResult Refused(string field, string message) => Refused(new Dictionary<string, string> { [field] = message });
    public static ApplyResult Refused(IReadOnlyDictionary<string, string> errors) => new(ApplyOutcome.Refused, null, errors);
    public static ApplyResult Stored(Guid applicationId) => new(ApplyOutcome.Stored, applicationId, new Dictionary<string, string>());
    public static ApplyResult AccountHolderMailed() => new(ApplyOutcome.AccountHolderMailed, null, new Dictionary<string, string>());
}

/// <summary>
/// Takes an application in: checks every file by content, and then has the malware scanner look at it, before anything
/// is stored; then stores blobs and rows so that a failure at any point leaves neither behind.
/// A visitor (not signed in) gets the same outcome whether or not their address already has an account, so the form
/// tells nobody who has one: a new address gets an unconfirmed account and the application; an address with an
/// account gets a mail telling its owner to sign in, and nothing is stored.
/// </summary>
public sealed class ApplicationIntake(
    RecruitingDbContext db,
    UserManager<AppUser> users,
    UploadValidator validator,
    IUploadScanner scanner,
    IBlobStore blobs,
    IReceiptRetention receiptRetention,
    TimeProvider time,
    ILogger<ApplicationIntake> logger)
{
    public const string CvField = "Cv";
    public const string FurtherDocumentsField = "FurtherDocuments";
    public const string PasswordField = "Password";

    public async Task<ApplyResult> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken = default)
    {
        var posting = await db.JobPostings.FindAsync([request.PostingId], cancellationToken);
        if (posting is null || !posting.AcceptsApplications)
            return ApplyResult.Refused("", "This position is no longer open for applications.");

        var errors = new Dictionary<string, string>();
        var files = await CheckFilesAsync(request, errors, cancellationToken);
        if (request.UserId is null)
            await CheckNewPasswordAsync(request, errors);
        else if (await HasActiveApplication(db, request.UserId.Value, posting.Id, cancellationToken))
            errors[""] = "You have already applied for this position. You can follow it under My applications.";
        // Scanned last: a form refused for another reason costs the scanner nothing.
        if (errors.Count == 0)
            await ScanFilesAsync(files, posting.Id, errors, cancellationToken);
        if (errors.Count > 0)
            return ApplyResult.Refused(errors);

        if (request.UserId is null && await users.FindByEmailAsync(request.Contact.Email) is { } holder)
            return await MailAccountHolderAsync(holder, request, posting.Id, cancellationToken);

        var stored = new List<(CheckedFile File, StoredBlob Blob)>();
        JobApplication? saved;
        DbUpdateException? insertFailure = null;
        try
        {
            foreach (var file in files)
                stored.Add((file, await file.Incoming.StoreAsync(blobs, cancellationToken)));
            saved = await SaveAsync(request, posting, stored, cancellationToken);
            if (saved is not null)
                foreach (var file in files)
                    file.Incoming.Keep();
        }
        catch (DbUpdateException ex) when (request.UserId is null)
        {
            (saved, insertFailure) = (null, ex); // perhaps the unique user name: decided below; the transaction rolled back
        }
        catch
        {
            await DeleteBlobsAsync(stored.Select(s => s.Blob.Name));
            throw;
        }
        if (saved is null)
        {
            // Another visitor took the address between the check above and the insert: answered as for any holder.
            await DeleteBlobsAsync(stored.Select(s => s.Blob.Name));
            db.ChangeTracker.Clear();
            var taker = await users.FindByEmailAsync(request.Contact.Email)
                        ?? throw new InvalidOperationException("Storing the application failed, and no account holds its address.", insertFailure);
            return await MailAccountHolderAsync(taker, request, posting.Id, cancellationToken);
        }

        logger.LogInformation("Application {ApplicationId} received for posting {PostingId} with {DocumentCount} documents",
            saved.Id, posting.Id, stored.Count);
        return ApplyResult.Stored(saved.Id);
    }

    private async Task<ApplyResult> MailAccountHolderAsync(AppUser holder, ApplyRequest request, Guid postingId,
        CancellationToken cancellationToken)
    {
        // A new account costs a password hash; so does this answer, so the response time tells nothing either.
        users.PasswordHasher.HashPassword(holder, request.NewAccountPassword!);
        var now = time.GetUtcNow();
        db.Notifications.Add(Notification.AccountExists(holder.Id, postingId, now));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Application for posting {PostingId} not stored: the address belongs to account {UserId}, mailed",
            postingId, holder.Id);
        return ApplyResult.AccountHolderMailed();
    }

    private sealed record CheckedFile(DocumentKind Kind, IncomingFile Incoming, UploadCheck Check);

    private async Task<List<CheckedFile>> CheckFilesAsync(ApplyRequest request, Dictionary<string, string> errors,
        CancellationToken cancellationToken)
    {
        var files = new List<CheckedFile>();
        if (request.Cv is null)
            errors[CvField] = "Please attach your CV (PDF, DOCX or ODT).";
        else
            await CheckAsync(DocumentKind.Cv, request.Cv, CvField);

        if (request.FurtherDocuments.Count > JobApplication.MaxFurtherDocuments)
            errors[FurtherDocumentsField] = $"You can attach at most {JobApplication.MaxFurtherDocuments} further documents.";
        else
            foreach (var document in request.FurtherDocuments)
                await CheckAsync(DocumentKind.Other, document, FurtherDocumentsField);
        return files;

        async Task CheckAsync(DocumentKind kind, IncomingFile file, string field)
        {
            await using var content = await file.OpenAsync(cancellationToken);
            var check = validator.Check(file.FileName, file.Length, content);
            if (check.Accepted)
                files.Add(new CheckedFile(kind, file, check));
            else
                errors.TryAdd(field, $"{check.DisplayName}: {check.Refusal}");
        }
    }

    /// <summary>
    /// Every accepted file goes past the scanner before anything is stored or an account made. An infected file is
    /// refused on its field without saying more; a scanner that gives no verdict refuses the whole form (fail closed).
    /// </summary>
    private async Task ScanFilesAsync(List<CheckedFile> files, Guid postingId, Dictionary<string, string> errors,
        CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            ScanVerdict verdict;
            await using (var content = await file.Incoming.OpenAsync(cancellationToken))
                verdict = await scanner.ScanAsync(content, cancellationToken);
            if (verdict == ScanVerdict.Clean)
                continue;

            logger.LogWarning("Application for posting {PostingId} refused: scan verdict {Verdict} for a {DocumentKind} document",
                postingId, verdict, file.Kind);
            if (verdict == ScanVerdict.Unavailable)
            {
                errors[""] = UploadRefusals.ScannerUnavailable;
                return;
            }
            errors.TryAdd(file.Kind == DocumentKind.Cv ? CvField : FurtherDocumentsField, $"{file.Check.DisplayName}: {UploadRefusals.Infected}");
        }
    }

    /// <summary>Judges the password on its own; whether the address has an account is not looked at here.</summary>
    private async Task CheckNewPasswordAsync(ApplyRequest request, Dictionary<string, string> errors)
    {
        if (string.IsNullOrEmpty(request.NewAccountPassword))
        {
            errors[PasswordField] = "Choose a password for your account.";
            return;
        }
        var probe = new AppUser { UserName = request.Contact.Email, Email = request.Contact.Email };
        foreach (var passwordValidator in users.PasswordValidators)
        {
            var result = await passwordValidator.ValidateAsync(users, probe, request.NewAccountPassword);
            if (!result.Succeeded)
            {
                errors[PasswordField] = string.Join(" ", result.Errors.Select(e => e.Description));
                return;
            }
        }
    }

    // Every application runs these two reads; compiled once, they skip translating the LINQ each time.
    private static readonly Func<RecruitingDbContext, Guid, Guid, CancellationToken, Task<bool>> HasActiveApplication =
        EF.CompileAsyncQuery((RecruitingDbContext db, Guid userId, Guid postingId, CancellationToken _) =>
            db.Applications.Any(a => a.Applicant.UserId == userId && a.JobPostingId == postingId && a.Status != ApplicationStatus.Withdrawn));

    private static readonly Func<RecruitingDbContext, Guid, CancellationToken, Task<Applicant?>> ApplicantOfUser =
        EF.CompileAsyncQuery((RecruitingDbContext db, Guid userId, CancellationToken _) => db.Applicants.SingleOrDefault(a => a.UserId == userId));

    /// <summary>
    /// The application, saved with the mails it owes; null when the new account's address was taken meanwhile (rolled back).
    /// Everything it needs is read first; what is written then goes in one commit. On SQLite that commit holds the
    /// database's single write lock, which every other application waits for, so no read happens while it is held.
    /// </summary>
    private async Task<JobApplication?> SaveAsync(ApplyRequest request, Postings.JobPosting posting,
        List<(CheckedFile File, StoredBlob Blob)> stored, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var applicant = request.UserId is { } existingUserId
            ? await ApplicantOfUser(db, existingUserId, cancellationToken)
            : null;
        var retention = await receiptRetention.AtReceiptAsync(posting, applicant?.Id, now, request.TalentPoolConsent, cancellationToken);

        // A new account is made in the same transaction as its application: neither is kept without the other.
        await using var transaction = request.UserId is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        Guid userId;
        if (request.UserId is { } signedInUserId)
            userId = signedInUserId;
        else
        {
            var user = new AppUser { UserName = request.Contact.Email, Email = request.Contact.Email, CreatedAt = now };
            var created = await users.CreateAsync(user, request.NewAccountPassword!);
            if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
                return null;
            if (!created.Succeeded)
                throw new InvalidOperationException("Creating the account failed after its checks passed: " +
                                                    string.Join(", ", created.Errors.Select(e => e.Code)));
            await users.AddToRoleAsync(user, Roles.Jobseeker);
            userId = user.Id;
            db.Notifications.Add(Notification.ConfirmEmail(userId, now));
        }

        if (applicant is null)
            db.Applicants.Add(applicant = Applicant.Create(userId, request.Contact, now));
        else // the name is corrected under My data (Art. 16), not by applying again
            applicant.UpdateContactDetails(request.Contact with { FullName = applicant.FullName }, now);

        var application = JobApplication.Submit(applicant, posting, request.CoverLetter, request.NoticeVersion, now);
        // The clock runs from receipt: the application is stored already dated.
        application.SetRetention(retention.DueAt, retention.Outcome, retention.OnLegalHold);
        foreach (var (file, blob) in stored)
        {
            var format = file.Check.Format!.Value;
            application.AttachDocument(file.Kind, blob.Name, file.Incoming.FileName!, DocumentFormats.ContentType(format),
                blob.Size, blob.Sha256, now);
        }
        db.Applications.Add(application);
        if (request.TalentPoolConsent)
        {
            // A separate, unticked choice on the form: recorded with the text version it was given to.
            db.Consents.Add(ConsentRecord.Give(applicant.Id, application.Id, ConsentPurpose.TalentPool, now));
            application.SetTalentPool(true);
            db.AuditEvents.Add(AuditEvent.Record(AuditAction.ConsentGiven, Roles.Jobseeker, userId, now,
                applicantId: applicant.Id, applicationId: application.Id));
        }
        db.Notifications.Add(Notification.ApplicationReceived(userId, application.Id, now));

        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
            await transaction.CommitAsync(cancellationToken);
        return application;
    }

    private async Task DeleteBlobsAsync(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            try
            {
                await blobs.DeleteAsync(name, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The original failure is the one to surface; this one is logged with the blob name (an id) only.
                logger.LogError(ex, "Could not remove blob {BlobName} after a failed application", name);
            }
        }
    }
}
