using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Consent;
using Recruiting.Core.Identity;
using Recruiting.Core.Notifications;
using Recruiting.Core.Postings;
using Recruiting.Core.Review;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;

namespace Recruiting.Core.Data;

public class RecruitingDbContext(DbContextOptions<RecruitingDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring, in the database so that every instance shares it (cookies, antiforgery, links).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<JobPosting> JobPostings => Set<JobPosting>();
    public DbSet<Applicant> Applicants => Set<Applicant>();
    public DbSet<JobApplication> Applications => Set<JobApplication>();
    public DbSet<ApplicationDocument> Documents => Set<ApplicationDocument>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<PostingAssignment> PostingAssignments => Set<PostingAssignment>();
    public DbSet<RecruiterNote> Notes => Set<RecruiterNote>();
    public DbSet<AccessLogEntry> AccessLog => Set<AccessLogEntry>();
    public DbSet<DataSubjectRequest> Requests => Set<DataSubjectRequest>();
    public DbSet<VisitorRequest> VisitorRequests => Set<VisitorRequest>();
    public DbSet<ConsentRecord> Consents => Set<ConsentRecord>();
    public DbSet<LegalHold> LegalHolds => Set<LegalHold>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<RetentionPolicy> RetentionPolicies => Set<RetentionPolicy>();
    public DbSet<RetentionRun> RetentionRuns => Set<RetentionRun>();
    public DbSet<OrphanSweep> OrphanSweeps => Set<OrphanSweep>();
    public DbSet<PostingStatistic> PostingStatistics => Set<PostingStatistic>();
    public DbSet<Privacy.PrivacyNoticeText> NoticeTexts => Set<Privacy.PrivacyNoticeText>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type that sorts and compares in SQL; store instants as sortable integers there.
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<AppUser>(e => e.Property(u => u.PendingEmail).HasMaxLength(AppUser.PendingEmailMaxLength));

        builder.Entity<JobPosting>(e =>
        {
            e.Property(p => p.Title).HasMaxLength(JobPosting.TitleMaxLength);
            e.Property(p => p.Location).HasMaxLength(JobPosting.LocationMaxLength);
            e.Property(p => p.Description).HasMaxLength(JobPosting.DescriptionMaxLength);
            e.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(p => p.Status);
        });

        builder.Entity<Applicant>(e =>
        {
            e.Property(a => a.FullName).HasMaxLength(Applicant.FullNameMaxLength);
            e.Property(a => a.Email).HasMaxLength(Applicant.EmailMaxLength);
            e.Property(a => a.Phone).HasMaxLength(Applicant.PhoneMaxLength);
            e.Property(a => a.Address).HasMaxLength(Applicant.AddressMaxLength);
            e.HasIndex(a => a.UserId).IsUnique();
            e.HasIndex(a => a.Email);
            e.HasIndex(a => a.ApplicationsDeletedAt);
            // On SQLite these keep the name search's FTS5 index in step (migration ApplicantNameSearch). Declaring them
            // stops EF from saving this table with RETURNING, which SQLite does not allow beside AFTER triggers.
            e.ToTable(t =>
            {
                t.HasTrigger("Applicants_Names_Insert");
                t.HasTrigger("Applicants_Names_Update");
                t.HasTrigger("Applicants_Names_Delete");
            });
            e.HasOne<AppUser>().WithOne().HasForeignKey<Applicant>(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(a => a.Applications).WithOne(x => x.Applicant).HasForeignKey(x => x.ApplicantId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(a => a.Applications).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        builder.Entity<Privacy.PrivacyNoticeText>(e =>
        {
            e.HasKey(t => t.Version);
            e.Property(t => t.Version).HasMaxLength(Privacy.PrivacyNotice.VersionLength);
        });

        builder.Entity<JobApplication>(e =>
        {
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.LegalBasis).HasConversion<string>().HasMaxLength(30);
            e.Property(a => a.CoverLetter).HasMaxLength(JobApplication.CoverLetterMaxLength);
            e.Property(a => a.NoticeVersion).HasMaxLength(Privacy.PrivacyNotice.VersionLength);
            e.HasOne(a => a.JobPosting).WithMany().HasForeignKey(a => a.JobPostingId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(a => a.Documents).WithOne().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(a => a.Documents).UsePropertyAccessMode(PropertyAccessMode.Field);
            // The candidate list counts, orders and pages a posting's candidates from these indexes alone: equality
            // columns first, then the sort order, with the restriction flag last so that NOT IsRestricted (never an
            // equality to SQL) is checked inside the index. Search finds applicants by email first, then their
            // applications to the posting through (posting, applicant).
            e.HasIndex(a => new { a.JobPostingId, a.SubmittedAt, a.Id, a.IsRestricted });
            e.HasIndex(a => new { a.JobPostingId, a.Status, a.SubmittedAt, a.Id, a.IsRestricted });
            e.HasIndex(a => new { a.JobPostingId, a.ApplicantId });
            e.Property(a => a.DeletionOutcome).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(a => a.DeletionDueAt);
            // Housekeeping pages through held applications by id every enforcement run; few are held, so the index
            // holds only those, in id order (the same filter text is valid SQL on SQLite and PostgreSQL).
            e.HasIndex(a => a.Id, "IX_Applications_Held").HasFilter("\"OnLegalHold\"");
        });

        builder.Entity<ApplicationDocument>(e =>
        {
            e.Property(d => d.Kind).HasConversion<string>().HasMaxLength(10);
            e.Property(d => d.BlobName).HasMaxLength(100);
            e.Property(d => d.OriginalFileName).HasMaxLength(ApplicationDocument.FileNameMaxLength);
            e.Property(d => d.ContentType).HasMaxLength(100);
            e.Property(d => d.Sha256).HasMaxLength(64).IsFixedLength();
            e.HasIndex(d => d.BlobName).IsUnique();
        });

        builder.Entity<PostingAssignment>(e =>
        {
            e.HasKey(a => new { a.JobPostingId, a.RecruiterUserId });
            e.HasOne<JobPosting>().WithMany().HasForeignKey(a => a.JobPostingId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<AppUser>().WithMany().HasForeignKey(a => a.RecruiterUserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(a => a.RecruiterUserId);
        });

        builder.Entity<RecruiterNote>(e =>
        {
            e.Property(n => n.Text).HasMaxLength(RecruiterNote.TextMaxLength);
            e.HasOne<JobApplication>().WithMany().HasForeignKey(n => n.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(n => n.ApplicationId);
        });

        builder.Entity<AccessLogEntry>(e =>
        {
            e.Property(x => x.ActorRole).HasMaxLength(20);
            e.Property(x => x.Action).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.DocumentKind).HasConversion<string>().HasMaxLength(10);
            // No foreign key to the application: the log outlives a deleted application until its applicant is erased.
            e.HasIndex(x => new { x.ApplicationId, x.At });
            e.HasIndex(x => x.ApplicantId);
        });

        builder.Entity<Notification>(e =>
        {
            e.Property(n => n.Kind).HasConversion<string>().HasMaxLength(30);
            e.HasIndex(n => n.SentAt);
            e.HasIndex(n => n.UserId);
        });

        builder.Entity<VisitorRequest>(e =>
        {
            e.Property(v => v.Email).HasMaxLength(Applicant.EmailMaxLength);
            e.Property(v => v.Type).HasConversion<string>().HasMaxLength(20);
            e.Property(v => v.TokenHash).HasMaxLength(64);
            e.HasIndex(v => v.ExpiresAt);
            e.HasIndex(v => v.Email);
        });

        builder.Entity<DataSubjectRequest>(e =>
        {
            e.Property(r => r.Type).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.Details).HasMaxLength(DataSubjectRequest.DetailsMaxLength);
            e.Property(r => r.ExtensionReason).HasMaxLength(DataSubjectRequest.AnswerMaxLength);
            e.Property(r => r.Answer).HasMaxLength(DataSubjectRequest.AnswerMaxLength);
            e.Property(r => r.ResultCounts).HasMaxLength(500);
            e.Property(r => r.ExportBlobName).HasMaxLength(100);
            e.Property(r => r.Channel).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.IdentityVerification).HasMaxLength(DataSubjectRequest.VerificationMaxLength);
            // No foreign keys: the row outlives its subject as the erasure tombstone.
            e.HasIndex(r => r.ApplicantId);
            e.HasIndex(r => new { r.Status, r.DueAt });
            e.HasIndex(r => r.ExportExpiresAt);
        });

        builder.Entity<ConsentRecord>(e =>
        {
            e.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(20);
            e.Property(c => c.TextVersion).HasMaxLength(20);
            e.HasOne<Applicant>().WithMany().HasForeignKey(c => c.ApplicantId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(c => c.ApplicantId);
            e.HasIndex(c => c.ApplicationId);
        });

        builder.Entity<LegalHold>(e =>
        {
            e.Property(h => h.Reason).HasMaxLength(LegalHold.ReasonMaxLength);
            e.HasIndex(h => h.ApplicantId);
            e.HasIndex(h => h.ApplicationId);
        });

        builder.Entity<RetentionPolicy>(e =>
        {
            e.HasIndex(p => new { p.JobPostingId, p.Version }).IsUnique();
        });

        builder.Entity<RetentionRun>(e =>
        {
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.Counts).HasMaxLength(RetentionRun.CountsMaxLength);
            e.HasIndex(r => r.StartedAt);
            // The enforcement lease: at most one run is Running, on every provider, whatever the Hangfire servers do.
            e.HasIndex(r => r.Status).IsUnique().HasFilter("\"Status\" = 'Running'").HasDatabaseName("IX_RetentionRuns_Running");
        });

        builder.Entity<OrphanSweep>(e =>
        {
            // One row, written by the sweep with a fixed id.
            e.Property(s => s.Id).ValueGeneratedNever();
        });

        builder.Entity<PostingStatistic>(e =>
        {
            e.HasKey(s => new { s.JobPostingId, s.Outcome });
            e.Property(s => s.Outcome).HasConversion<string>().HasMaxLength(20);
        });

        builder.Entity<AuditEvent>(e =>
        {
            e.Property(a => a.Action).HasConversion<string>().HasMaxLength(40);
            e.Property(a => a.ActorRole).HasMaxLength(20);
            e.Property(a => a.Counts).HasMaxLength(500);
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.RequestId);
        });
    }
}
