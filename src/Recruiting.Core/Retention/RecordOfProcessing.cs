using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Privacy;
using Recruiting.Core.Rights;

namespace Recruiting.Core.Retention;

/// <summary>One kind of record holding personal data, in words, with its marked fields (from the personal-data registry).</summary>
public sealed record DataCategory(string EntityName, string Name, string Subjects, IReadOnlyList<string> Fields);

/// <summary>A retention policy in force: the default (no posting) or one posting's override.</summary>
public sealed record PolicyInForce(Guid? PostingId, string? PostingTitle, int? Version, DateTimeOffset? ChangedAt, RetentionPeriods Periods);

public sealed record ProcessingRecord(
    DateTimeOffset GeneratedAt,
    PrivacyOptions Privacy,
    IReadOnlyList<DataCategory> DataCategories,
    PolicyInForce DefaultPolicy,
    IReadOnlyList<PolicyInForce> Overrides,
    RetentionOptions Retention,
    IReadOnlyList<SubProcessor> TransfersOutsideEea);

/// <summary>
/// The record of processing activities (GDPR Art. 30(1)) as the portal's configuration makes it now: the controller
/// and sub-processors from the Privacy settings, the categories of personal data from the personal-data registry,
/// and the time limits from the retention policies in force and the Privacy/Retention settings.
/// </summary>
public sealed partial class RecordOfProcessing(RecruitingDbContext db, DueDates dueDates, IOptions<PrivacyOptions> privacy,
    IOptions<RetentionOptions> retention, TimeProvider time)
{
    public async Task<ProcessingRecord> BuildAsync(CancellationToken cancellationToken)
    {
        var overridden = await db.RetentionPolicies.Where(p => p.JobPostingId != null)
            .Select(p => p.JobPostingId!.Value).Distinct().ToListAsync(cancellationToken);
        var policies = await dueDates.CurrentPoliciesAsync(overridden, cancellationToken);
        var versions = await db.RetentionPolicies
            .Where(p => !db.RetentionPolicies.Any(q => q.JobPostingId == p.JobPostingId && q.Version > p.Version))
            .Select(p => new { p.JobPostingId, p.Version, p.ChangedAt })
            .ToListAsync(cancellationToken);
        var titles = await db.JobPostings.Where(p => overridden.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Title, cancellationToken);

        var defaultVersion = versions.SingleOrDefault(v => v.JobPostingId == null);
        var defaultPolicy = new PolicyInForce(null, null, defaultVersion?.Version, defaultVersion?.ChangedAt,
            policies.GetValueOrDefault(Guid.Empty) ?? RetentionPeriods.From(retention.Value));
        var overrides = policies.Where(p => p.Key != Guid.Empty)
            .Select(p =>
            {
                var version = versions.Single(v => v.JobPostingId == p.Key);
                return new PolicyInForce(p.Key, titles.GetValueOrDefault(p.Key), version.Version, version.ChangedAt, p.Value);
            })
            .OrderBy(p => p.PostingTitle, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var settings = privacy.Value;
        return new ProcessingRecord(time.GetUtcNow(), settings, Categories(db.Model), defaultPolicy, overrides, retention.Value,
            settings.SubProcessors.Where(s => !ExportSummary.InEuEea(s.Location)).ToList());
    }

    /// <summary>Every entity with a marked personal-data property, in words, with its fields in words.</summary>
    public static IReadOnlyList<DataCategory> Categories(Microsoft.EntityFrameworkCore.Metadata.IModel model) =>
        PersonalData.Properties(model)
            .GroupBy(x => x.Entity.ClrType)
            .Select(g =>
            {
                var (name, subjects) = Describe(g.Key);
                // In the order the class declares them (name before email), not the model's alphabetical order.
                var fields = g.OrderBy(x => x.Property.PropertyInfo?.MetadataToken ?? int.MaxValue).Select(x => Words(x.Property.Name));
                return new DataCategory(g.Key.Name, name, subjects, fields.Distinct().ToList());
            })
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();

    private static (string Name, string Subjects) Describe(Type entity) => (entity.IsGenericType ? entity.GetGenericTypeDefinition().Name : entity.Name) switch
    {
        "IdentityUserToken`1" => ("Sign-in tokens (authenticator key, recovery codes)", "applicants and staff users"),
        nameof(Applicant) => ("Applicant profiles (contact details)", "applicants"),
        nameof(Identity.AppUser) => ("Sign-in accounts", "applicants and staff users"),
        nameof(JobApplication) => ("Applications (cover letters)", "applicants"),
        nameof(ApplicationDocument) => ("Documents: CVs and others (the files themselves are in the blob store)", "applicants"),
        nameof(Review.RecruiterNote) => ("Recruiters' notes on applications", "applicants"),
        nameof(DataSubjectRequest) => ("Data-protection requests and HR's answers", "applicants"),
        nameof(LegalHold) => ("Legal holds and their reasons", "applicants"),
        var name => (Words(name.Split('`')[0]), "applicants"),
    };

    /// <summary>"OriginalFileName" becomes "original file name".</summary>
    public static string Words(string name) => WordStart().Replace(name, " $1").Trim().ToLowerInvariant();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex WordStart();
}
