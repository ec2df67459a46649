using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Data;
using Recruiting.Core.Privacy;
using Recruiting.Core.Retention;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>The record of processing (Art. 30), generated from the settings and the policies in force.</summary>
public sealed class RecordOfProcessingTests : IDisposable
{
    private const string Url = "/manage/record-of-processing";

    private readonly PortalFactory _portal = new()
    {
        Settings =
        {
            ["Privacy:ControllerName"] = "Fjord Recruiting AS",
            ["Privacy:ControllerAddress"] = "Kaigata 1, 0150 Oslo",
            ["Privacy:ContactEmail"] = "privacy@fjord.test",
            ["Privacy:SupervisoryAuthority"] = "Datatilsynet",
            ["Privacy:ExportRetentionDays"] = "9",
            ["Privacy:SubProcessors:0:Name"] = "Blob Hosting EU",
            ["Privacy:SubProcessors:0:Purpose"] = "Storing documents",
            ["Privacy:SubProcessors:0:Location"] = "EU (Ireland)",
            ["Privacy:SubProcessors:1:Name"] = "Mail Relay Inc",
            ["Privacy:SubProcessors:1:Purpose"] = "Sending mail",
            ["Privacy:SubProcessors:1:Location"] = "USA",
            ["Retention:AccountInactivityDays"] = "45",
            ["Retention:RejectedMonths"] = "7",
        },
    };

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task The_time_limits_are_the_policies_in_force_and_follow_a_new_policy_version()
    {
        var posting = await _portal.CreatePostingAsync("Night nurse");
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var hrId = await _portal.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync());

        // No policy saved yet: the settings are the default.
        var page = await hr.GetPageAsync(Url);
        var row = page.QuerySelector(".retention-periods .default-policy")!;
        Assert.Contains("7 months after the rejection", row.TextContent);
        Assert.Contains("from the settings", row.TextContent);
        Assert.Null(page.QuerySelector(".retention-periods .override-policy"));
        Assert.Contains("45 days", page.QuerySelector(".account-inactivity")!.TextContent);
        Assert.Contains("9 days", page.QuerySelector(".export-retention")!.TextContent);

        // HR's saved default, then an override for one posting, then a second version of the default.
        var now = DateTimeOffset.UtcNow;
        var v1 = RetentionPolicy.NextVersion(null, null, new RetentionPeriods(5, 20, 4, 3, 12, 6), hrId, now);
        var overrideV1 = RetentionPolicy.NextVersion(null, posting, new RetentionPeriods(2, 10, 1, 1, 6, 6), hrId, now);
        await AddAsync(v1, overrideV1);
        page = await hr.GetPageAsync(Url);
        row = page.QuerySelector(".retention-periods .default-policy")!;
        Assert.Equal(["5 months after the rejection", "20 days after withdrawal", "6 months after receipt, or 4 months after the posting closed if earlier", "3 months after hiring", "12 months"],
            Cells(row));
        Assert.Contains("version 1", row.TextContent);
        var over = page.QuerySelector($".retention-periods .override-policy[data-posting-id='{posting}']")!;
        Assert.Contains("Override for Night nurse", over.TextContent);
        Assert.Equal(["2 months after the rejection", "10 days after withdrawal", "6 months after receipt, or 1 months after the posting closed if earlier", "1 months after hiring", "6 months"],
            Cells(over));

        await AddAsync(RetentionPolicy.NextVersion(v1, null, new RetentionPeriods(8, 20, 4, 3, 12, 6), hrId, now.AddMinutes(1)),
            RetentionPolicy.NextVersion(overrideV1, posting, overrideV1.Periods, hrId, now.AddMinutes(1), removed: true));
        page = await hr.GetPageAsync(Url);
        row = page.QuerySelector(".retention-periods .default-policy")!;
        Assert.Contains("8 months after the rejection", row.TextContent);
        Assert.Contains("version 2", row.TextContent);
        Assert.Null(page.QuerySelector(".retention-periods .override-policy")); // a removed override no longer applies
    }

    [Fact]
    public async Task It_names_the_controller_every_personal_data_category_with_its_fields_the_recipients_and_the_transfers()
    {
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);

        var page = await hr.GetPageAsync(Url);

        var controller = page.QuerySelector(".controller")!.TextContent;
        foreach (var fact in new[] { "Fjord Recruiting AS", "Kaigata 1, 0150 Oslo", "privacy@fjord.test", "Datatilsynet" })
            Assert.Contains(fact, controller);
        Assert.Contains("Applicants", page.QuerySelector(".subjects")!.TextContent);
        Assert.Contains("Staff users", page.QuerySelector(".subjects")!.TextContent);

        // Every entity of the personal-data registry has its row, naming each marked field in words.
        var model = _portal.Services.CreateScope().ServiceProvider.GetRequiredService<RecruitingDbContext>().Model;
        var registry = PersonalData.Properties(model).GroupBy(x => x.Entity.ClrType).ToList();
        Assert.True(registry.Count >= 7, "the registry should cover applicants, accounts, applications, documents, notes, requests and holds");
        foreach (var entity in registry)
        {
            var categoryRow = page.QuerySelector($".data-categories tr[data-entity='{entity.Key.Name}']");
            Assert.True(categoryRow is not null, $"no category row for {entity.Key.Name}");
            Assert.Contains(' ', categoryRow.Children[0].TextContent); // in words, not the class name
            foreach (var (_, property) in entity)
                Assert.Contains(RecordOfProcessing.Words(property.Name), categoryRow.TextContent);
        }
        Assert.Contains("full name, email, phone, address", page.QuerySelector(".data-categories tr[data-entity='Applicant']")!.TextContent);

        var recipients = page.QuerySelector(".recipients")!.TextContent;
        Assert.Contains("Recruiters", recipients);
        Assert.Contains("HR staff", recipients);
        Assert.Contains("Blob Hosting EU: Storing documents (EU (Ireland))", recipients);
        Assert.Contains("Mail Relay Inc: Sending mail (USA)", recipients);
        var transfers = page.QuerySelector(".transfers")!.TextContent;
        Assert.Contains("Mail Relay Inc (USA)", transfers);
        Assert.DoesNotContain("Blob Hosting EU", transfers);
        Assert.Contains("secure_delete", page.QuerySelector(".security")!.TextContent);
        Assert.Contains("media=\"print\"", page.DocumentElement.OuterHtml);
    }

    private static string[] Cells(AngleSharp.Dom.IElement row) => row.QuerySelectorAll("td").Skip(1).Select(c => c.TextContent.Trim()).ToArray();

    private Task AddAsync(params RetentionPolicy[] policies) =>
        _portal.WithDbAsync(async db =>
        {
            db.RetentionPolicies.AddRange(policies);
            await db.SaveChangesAsync();
        });
}
