using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Results;
using Recruiting.Core.Storage;
using Recruiting.Core.Uploads;

namespace Recruiting.Core.Rights;

/// <summary>Art. 18 grounds a jobseeker picks from when restricting an application.</summary>
public enum RestrictionGround
{
    /// <summary>Art. 18(1)(a): they contest the accuracy of the data.</summary>
    ContestAccuracy,
    /// <summary>Any other ground, in their own words.</summary>
    Other,
}

/// <summary>
/// What a signed-in jobseeker does about their own data from My data: ask for a copy (Art. 15, 20), correct their
/// name, phone and postal address and replace a CV (Art. 16), restrict (Art. 18) or object to (Art. 21) an application. Every method
/// takes the signed-in user's id and finds the data through it, so another person's id is simply not found.
/// Requests that go to HR or hand data out need a confirmed email address; correcting one's own details does not
/// (the apply form changes the same details).
/// </summary>
public sealed class SelfService(
    RecruitingDbContext db,
    RightsRequests rights,
    UploadValidator validator,
    IUploadScanner scanner,
    IBlobStore blobs,
    Retention.DueDates dueDates,
    TimeProvider time,
    ILogger<SelfService> logger)
{
    public const string UnconfirmedRefusal =
        "Please confirm your email address first. We send the answers to your requests to it, so we need to know it is yours. " +
        "Open the link in the confirmation mail, or have it sent again from My data.";

    public const string ContestAccuracyDetails = "I contest the accuracy of my data.";
    public const string OtherReasonPrefix = "Another reason: ";

    public const string FullNameField = nameof(ContactDetails.FullName);
    public const string EmailField = nameof(ContactDetails.Email);
    public const string PhoneField = nameof(ContactDetails.Phone);
    public const string AddressField = nameof(ContactDetails.Address);
    public const string CvField = "Cv";
    public const string ReasonField = "Reason";

    /// <summary>"Download my data": files an access request; its job builds the ZIP. One at a time.</summary>
    public async Task<DeskResult> RequestAccessAsync(Guid userId, CancellationToken cancellationToken)
    {
        var applicant = await rights.ApplicantOfAsync(userId, cancellationToken);
        if (applicant is null)
            return DeskResult.Refused("We hold no application data about you yet.");
        if (!await IsConfirmedAsync(userId, cancellationToken))
            return DeskResult.Refused(UnconfirmedRefusal);
        if (await db.Requests.AnyAsync(r => r.ApplicantId == applicant.Id && r.Type == RequestType.Access
                                            && (r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress), cancellationToken))
            return DeskResult.Refused("Your copy is already being prepared. We email you when it is ready to download.");

        await rights.FileAsync(applicant, RequestType.Access, cancellationToken);
        return DeskResult.Done("We are preparing a copy of your data. We email you when it is ready to download.");
    }

    /// <summary>
    /// Art. 16: corrects the name, phone and postal address every application uses. Filed as a rectification request
    /// completed at once, audited with the names of the changed fields only. The email address is not changed here:
    /// it is the sign-in name, and moves in two steps (<see cref="Rights.EmailChanges"/>).
    /// </summary>
    public async Task<DeskResult> CorrectContactDetailsAsync(Guid userId, string fullName, string phone, string? address,
        CancellationToken cancellationToken)
    {
        var applicant = await rights.ApplicantOfAsync(userId, cancellationToken);
        if (applicant is null)
            return DeskResult.NotFound;

        var contact = new ContactDetails(fullName, applicant.Email, phone, address);
        var changed = ChangedFields(applicant.Contact, contact);
        if (changed.Count == 0)
            return DeskResult.Done("Nothing has changed: your details were already as you entered them.");

        var now = time.GetUtcNow();
        applicant.UpdateContactDetails(contact, now);
        var request = DataSubjectRequest.File(RequestType.Rectification, applicant.Id, now);
        request.Complete(now, resultCounts: "fields=" + string.Join(",", changed));
        db.Requests.Add(request);
        db.AuditEvents.AddRange(
            AuditEvent.Record(AuditAction.RequestFiled, Roles.Jobseeker, userId, now, request.Id, applicant.Id),
            AuditEvent.Record(AuditAction.ContactDetailsCorrected, Roles.Jobseeker, userId, now, request.Id, applicant.Id, fields: changed),
            AuditEvent.Record(AuditAction.RequestCompleted, Roles.Jobseeker, userId, now, request.Id, applicant.Id));
        await db.SaveChangesAsync(cancellationToken);

        logger.LogInformation("Applicant {ApplicantId} corrected {FieldCount} contact fields (request {RequestId})",
            applicant.Id, changed.Count, request.Id);
        return DeskResult.Done("Your details are corrected.");
    }

    private static List<string> ChangedFields(ContactDetails current, ContactDetails wanted)
    {
        var changed = new List<string>();
        if (current.FullName != wanted.FullName.Trim()) changed.Add(FullNameField);
        if (!string.Equals(current.Email, wanted.Email.Trim(), StringComparison.OrdinalIgnoreCase)) changed.Add(EmailField);
        if (current.Phone != wanted.Phone.Trim()) changed.Add(PhoneField);
        if ((current.Address ?? "") != (wanted.Address?.Trim() ?? "")) changed.Add(AddressField);
        return changed;
    }

    /// <summary>
    /// Art. 16: replaces the CV of an application still under review. The new file is checked and scanned like on the apply form;
    /// its blob is stored before the row and removed again if the row is not saved; the old blob goes after the commit.
    /// </summary>
    public async Task<DeskResult> ReplaceCvAsync(Guid userId, Guid applicationId, IncomingFile? file,
        CancellationToken cancellationToken)
    {
        var application = await Own(userId).Include(a => a.Applicant).Include(a => a.Documents)
            .SingleOrDefaultAsync(a => a.Id == applicationId, cancellationToken);
        if (application is null)
            return DeskResult.NotFound;
        if (!application.CvReplaceable)
            return DeskResult.Refused($"This application is {application.Status}; its CV can no longer be replaced.", CvField);
        if (file is null)
            return DeskResult.Refused("Please choose the new CV (PDF, DOCX or ODT).", CvField);

        UploadCheck check;
        await using (var content = await file.OpenAsync(cancellationToken))
            check = validator.Check(file.FileName, file.Length, content);
        if (!check.Accepted)
            return DeskResult.Refused($"{check.DisplayName}: {check.Refusal}", CvField);

        ScanVerdict verdict;
        await using (var content = await file.OpenAsync(cancellationToken))
            verdict = await scanner.ScanAsync(content, cancellationToken);
        if (verdict != ScanVerdict.Clean)
        {
            logger.LogWarning("Application {ApplicationId}: CV replacement refused, scan verdict {Verdict}", application.Id, verdict);
            return DeskResult.Refused(verdict == ScanVerdict.Infected
                ? $"{check.DisplayName}: {UploadRefusals.Infected}"
                : UploadRefusals.ScannerUnavailable, CvField);
        }

        var stored = await file.StoreAsync(blobs, cancellationToken);

        var now = time.GetUtcNow();
        ApplicationDocument? old;
        DataSubjectRequest request;
        try
        {
            old = application.ReplaceCv(stored.Name, file.FileName!, DocumentFormats.ContentType(check.Format!.Value),
                stored.Size, stored.Sha256, now);
            // Its key is set by the model, so EF would take a row found only through the collection for an existing one.
            db.Documents.Add(application.Documents.Single(d => d.Kind == DocumentKind.Cv));
            request = DataSubjectRequest.File(RequestType.Rectification, application.ApplicantId, now, application.Id);
            request.Complete(now, resultCounts: "documents=1");
            db.Requests.Add(request);
            db.AuditEvents.AddRange(
                AuditEvent.Record(AuditAction.RequestFiled, Roles.Jobseeker, userId, now, request.Id, application.ApplicantId, application.Id),
                AuditEvent.Record(AuditAction.CvReplaced, Roles.Jobseeker, userId, now, request.Id, application.ApplicantId, application.Id,
                    counts: new Dictionary<string, int> { ["documents"] = 1 }),
                AuditEvent.Record(AuditAction.RequestCompleted, Roles.Jobseeker, userId, now, request.Id, application.ApplicantId, application.Id));
            await db.SaveChangesAsync(cancellationToken);
            file.Keep();
        }
        catch
        {
            await DeleteBlobAsync(stored.Name, "after a failed CV replacement");
            throw;
        }

        if (old is not null)
            await DeleteBlobAsync(old.BlobName, "of a replaced CV");
        logger.LogInformation("Application {ApplicationId}: CV replaced by its applicant (request {RequestId})", application.Id, request.Id);
        return DeskResult.Done("Your CV is replaced. Recruiters see the new one from now on.");
    }

    /// <summary>
    /// Art. 18: staff stop listing and opening the application at once; HR gets a restriction request with the
    /// ground and decides when to lift it (the jobseeker is told before).
    /// </summary>
    /// <summary>Withdraws an open application; its retention clock starts now, and the due date is stored with it.</summary>
    public async Task<DeskResult> WithdrawAsync(Guid userId, Guid applicationId, CancellationToken cancellationToken)
    {
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == applicationId && a.Applicant.UserId == userId, cancellationToken);
        if (application is null)
            return DeskResult.NotFound;
        if (!application.IsOpen)
            return DeskResult.Refused($"This application is {application.Status}; it can no longer be withdrawn.");
        application.Withdraw(time.GetUtcNow());
        await dueDates.SaveInStepAsync([application.Id], cancellationToken);
        logger.LogInformation("Application {ApplicationId} withdrawn by its applicant", applicationId);
        return DeskResult.Done("Your application is withdrawn.");
    }

    public async Task<DeskResult> RestrictAsync(Guid userId, Guid applicationId, RestrictionGround ground, string? otherReason,
        CancellationToken cancellationToken)
    {
        var application = await Own(userId).Include(a => a.Applicant).SingleOrDefaultAsync(a => a.Id == applicationId, cancellationToken);
        if (application is null)
            return DeskResult.NotFound;
        if (!await IsConfirmedAsync(userId, cancellationToken))
            return DeskResult.Refused(UnconfirmedRefusal);
        if (application.IsRestricted)
            return DeskResult.Refused("The processing of this application is already restricted.");

        string details;
        if (ground == RestrictionGround.ContestAccuracy)
            details = ContestAccuracyDetails;
        else if (ReasonRefusal(otherReason, "Please say why you want the processing restricted.") is { } refusal)
            return DeskResult.Refused(refusal, ReasonField);
        else
            details = OtherReasonPrefix + otherReason!.Trim();
        if (details.Length > DataSubjectRequest.DetailsMaxLength)
            return DeskResult.Refused($"Please keep the reason under {DataSubjectRequest.DetailsMaxLength - OtherReasonPrefix.Length} characters.", ReasonField);

        application.Restrict();
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.RestrictionApplied, Roles.Jobseeker, userId, time.GetUtcNow(),
            applicantId: application.ApplicantId, applicationId: application.Id));
        // One save: the restriction, its audit, the request and the request's audit commit together.
        var request = await rights.FileAsync(application.Applicant, RequestType.Restriction, cancellationToken, application.Id, details);
        logger.LogInformation("Application {ApplicationId} restricted by its applicant (request {RequestId})", application.Id, request.Id);
        return DeskResult.Done(
            "The processing of this application is restricted: recruiters no longer see it. Our HR team reviews your request; " +
            "we email you before the restriction is lifted.");
    }

    /// <summary>Art. 21: files an objection to the HR request desk; nothing else changes until HR answers.</summary>
    public async Task<DeskResult> ObjectAsync(Guid userId, Guid applicationId, string? reason, CancellationToken cancellationToken)
    {
        var application = await Own(userId).Include(a => a.Applicant).SingleOrDefaultAsync(a => a.Id == applicationId, cancellationToken);
        if (application is null)
            return DeskResult.NotFound;
        if (!await IsConfirmedAsync(userId, cancellationToken))
            return DeskResult.Refused(UnconfirmedRefusal);
        if (ReasonRefusal(reason, "Please tell us the grounds of your objection.") is { } refusal)
            return DeskResult.Refused(refusal, ReasonField);
        if (await db.Requests.AnyAsync(r => r.ApplicationId == application.Id && r.Type == RequestType.Objection
                                            && (r.Status == RequestStatus.Received || r.Status == RequestStatus.InProgress), cancellationToken))
            return DeskResult.Refused("You have already objected to this application; our HR team is looking at it.");

        var request = await rights.FileAsync(application.Applicant, RequestType.Objection, cancellationToken, application.Id, reason);
        logger.LogInformation("Objection {RequestId} filed on application {ApplicationId}", request.Id, application.Id);
        return DeskResult.Done("Your objection is sent to our HR team. We answer within one month.");
    }

    private static string? ReasonRefusal(string? reason, string whenEmpty) =>
        string.IsNullOrWhiteSpace(reason) ? whenEmpty
        : reason.Trim().Length > DataSubjectRequest.DetailsMaxLength ? $"Please keep it under {DataSubjectRequest.DetailsMaxLength} characters."
        : null;

    private IQueryable<JobApplication> Own(Guid userId) => db.Applications.Where(a => a.Applicant.UserId == userId);

    private Task<bool> IsConfirmedAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Users.AnyAsync(u => u.Id == userId && u.EmailConfirmed, cancellationToken);

    private async Task DeleteBlobAsync(string name, string what)
    {
        try
        {
            await blobs.DeleteAsync(name, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not delete blob {BlobName} {What}", name, what);
        }
    }
}
