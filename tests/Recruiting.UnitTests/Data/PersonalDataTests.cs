using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Privacy;

namespace Recruiting.UnitTests.Data;

/// <summary>
/// Every text field of the model must be decided on: marked as personal data (then export and erasure cover it)
/// or listed here as not personal. A new field fails this test until someone makes that decision.
/// </summary>
public sealed class PersonalDataTests
{
    private static readonly HashSet<string> NotPersonal =
    [
        "JobPosting.Title", "JobPosting.Location", "JobPosting.Description", "JobPosting.Status",
        "JobApplication.Status", "JobApplication.NoticeVersion", "JobApplication.LegalBasis",
        "ApplicationDocument.Kind", "ApplicationDocument.BlobName", "ApplicationDocument.ContentType", "ApplicationDocument.Sha256",
        "Notification.Kind",
        "AccessLogEntry.ActorRole", "AccessLogEntry.Action", "AccessLogEntry.DocumentKind",
        // Requests keep ids, enums, generated blob names and counts; the jobseeker's and HR's words are marked.
        "DataSubjectRequest.Type", "DataSubjectRequest.Status", "DataSubjectRequest.ExportBlobName", "DataSubjectRequest.ResultCounts",
        "DataSubjectRequest.Channel",
        // A visitor's pending request: its type and the hash of its link's token (the address is marked).
        "VisitorRequest.Type", "VisitorRequest.TokenHash",
        "ConsentRecord.Purpose", "ConsentRecord.TextVersion",
        "AuditEvent.Action", "AuditEvent.ActorRole", "AuditEvent.Counts",
        // The notice texts shown: the same words for everyone, about the controller and its policies.
        "PrivacyNoticeText.Version", "PrivacyNoticeText.Text",
        "JobApplication.DeletionOutcome", "RetentionRun.Status", "RetentionRun.Counts", "PostingStatistic.Outcome",
        // Identity's own bookkeeping: secrets and stamps, erased with the account row itself.
        "AppUser.PasswordHash", "AppUser.SecurityStamp", "AppUser.ConcurrencyStamp", "AppUser.NormalizedEmail",
        "AppUser.NormalizedUserName",
        "IdentityRole<Guid>.Name", "IdentityRole<Guid>.NormalizedName", "IdentityRole<Guid>.ConcurrencyStamp",
        "IdentityRoleClaim<Guid>.ClaimType", "IdentityRoleClaim<Guid>.ClaimValue",
        "IdentityUserClaim<Guid>.ClaimType", "IdentityUserClaim<Guid>.ClaimValue",
        "IdentityUserLogin<Guid>.LoginProvider", "IdentityUserLogin<Guid>.ProviderKey", "IdentityUserLogin<Guid>.ProviderDisplayName",
        "IdentityUserToken<Guid>.LoginProvider", "IdentityUserToken<Guid>.Name", "IdentityUserToken<Guid>.Value",
        // The Data Protection key ring: key material shared by the instances, about no one.
        "DataProtectionKey.FriendlyName", "DataProtectionKey.Xml",
    ];

    private static RecruitingDbContext Context() => new(Recruiting.Migrations.Sqlite.DesignTimeDbContextFactory.Options());

    [Fact]
    public void Every_text_field_is_either_marked_personal_or_listed_as_not_personal()
    {
        using var db = Context();
        var undecided = db.Model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Select(p => (Entity: e, Property: p)))
            .Where(x => x.Property.ClrType == typeof(string) && !PersonalData.IsPersonal(x.Property))
            .Select(x => $"{x.Entity.DisplayName()}.{x.Property.Name}")
            .Where(name => !NotPersonal.Contains(name))
            .ToList();
        Assert.True(undecided.Count == 0, "Decide whether these are personal data: " + string.Join(", ", undecided));
    }

    [Fact]
    public void The_applicant_contact_details_cover_letter_and_file_names_are_marked_personal()
    {
        using var db = Context();
        var personal = PersonalData.Properties(db.Model).Select(x => $"{x.Entity.ClrType.Name}.{x.Property.Name}").ToHashSet();
        foreach (var field in new[]
                 {
                     "Applicant.FullName", "Applicant.Email", "Applicant.Phone", "Applicant.Address",
                     "JobApplication.CoverLetter", "ApplicationDocument.OriginalFileName", "AppUser.Email", "AppUser.UserName",
                     "AppUser.PhoneNumber",
                 })
            Assert.Contains(field, personal);
    }
}
