using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Privacy;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;

namespace Recruiting.Core.Privacy;

/// <summary>One kind of record holding personal data, in words, with its marked fields (from the personal-data registry).</summary>
public sealed record DataCategory(string EntityName, string Name, string Subjects, IReadOnlyList<string> Fields);

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
public sealed partial class RecordOfProcessing(RecruitingDbContext db, RetentionPolicies retentionPolicies, IOptions<PrivacyOptions> privacy,
    IOptions<RetentionOptions> retention, TimeProvider time)
{
    public async Task<ProcessingRecord> BuildAsync(CancellationToken cancellationToken)
    {
        var policies = await retentionPolicies.OverviewAsync(cancellationToken);
        var defaultPolicy = policies.Default;
        var overrides = policies.Overrides;

        var settings = privacy.Value;
        return new ProcessingRecord(time.GetUtcNow(), settings, Categories(db.Model), defaultPolicy, overrides, retention.Value,
            settings.SubProcessors.Where(s => !s.InEuEea).ToList());
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
        nameof(Applications.RecruiterNote) => ("Recruiters' notes on applications", "applicants"),
        nameof(DataSubjectRequest) => ("Data-protection requests and HR's answers", "applicants"),
        nameof(LegalHold) => ("Legal holds and their reasons", "applicants"),
        var name => (Words(name.Split('`')[0]), "applicants"),
    };

    /// <summary>"OriginalFileName" becomes "original file name".</summary>
    public static string Words(string name) => WordStart().Replace(name, " $1").Trim().ToLowerInvariant();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex WordStart();
}
