using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Data;
using Recruiting.Core.Privacy;
using Recruiting.Core.Rights;

namespace Recruiting.UnitTests.Rights;

/// <summary>The erasure derives from the personal-data registry, so no marked field is left behind.</summary>
public sealed class ErasureTests
{
    private static RecruitingDbContext Context() => new(Recruiting.Migrations.Sqlite.DesignTimeDbContextFactory.Options());

    [Fact]
    public void Every_entity_type_with_personal_data_is_one_the_erasure_covers()
    {
        using var db = Context();
        var missing = PersonalData.Properties(db.Model).Select(x => x.Entity.ClrType).Distinct()
            .Where(type => !ErasureJob.ErasedEntityTypes.Contains(type))
            .Select(type => type.Name)
            .ToList();
        Assert.True(missing.Count == 0, "Make ErasureJob erase these, then list them in ErasedEntityTypes: " + string.Join(", ", missing));
    }

    [Fact]
    public void Anonymising_a_request_clears_every_personal_data_property_and_keeps_the_tombstone()
    {
        var now = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        var request = DataSubjectRequest.File(RequestType.Question, Guid.NewGuid(), now, Guid.NewGuid(), "What do you keep about me?");
        request.Extend(now.AddMonths(2), "We need more time to collect it.", now.AddDays(3));
        request.Complete(now.AddDays(20), "We keep your application.", "applications=1");

        request.Anonymise();

        var marked = typeof(DataSubjectRequest).GetProperties()
            .Where(p => p.GetCustomAttribute<PersonalDataAttribute>() is not null).ToList();
        Assert.NotEmpty(marked);
        Assert.All(marked, p => Assert.Null(p.GetValue(request)));
        Assert.Null(request.ApplicantId);
        Assert.Null(request.ApplicationId);
        Assert.Equal((RequestType.Question, RequestStatus.Completed, now, "applications=1"),
            (request.Type, request.Status, request.ReceivedAt, request.ResultCounts));
    }

    [Fact]
    public void The_receipt_lists_every_count_it_is_given_by_kind_with_the_request_number_and_dates()
    {
        var counts = ErasureReceipt.Parse(ErasureReceipt.Format(ErasureReceipt.Kinds.Select((k, i) => (k.Key, i)).ToDictionary()));
        Assert.Equal(ErasureReceipt.Kinds.Count, counts.Count);
        var requestId = Guid.NewGuid();

        var mail = ErasureReceipt.Mail(requestId, "someone@example.test", requestId,
            new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 9, 5, 0, TimeSpan.Zero), counts);

        Assert.Equal(requestId, mail.Id);
        Assert.Contains($"Request number: {requestId}", mail.Body);
        Assert.Contains("Request received: 2026-11-01 09:00 UTC", mail.Body);
        Assert.Contains("Data deleted: 2026-11-01 09:05 UTC", mail.Body);
        foreach (var (key, label) in ErasureReceipt.Kinds)
            Assert.Contains($"- {label}: {counts[key]}", mail.Body);
    }
}
