using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Applications;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Retention;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Portal;

/// <summary>
/// Intake stores an application already dated from what it knows at receipt, in the commit that stores it. The dates
/// must be the ones the retention rules give the stored application, which recomputing them afterwards shows.
/// </summary>
public sealed class IntakeDatingTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_application_with_talent_pool_consent_under_its_postings_own_policy_is_stored_with_the_dates_the_rules_give()
    {
        var posting = await _portal.CreatePostingAsync("Own policy");
        var hr = await _portal.HrAsync();
        await hr.SetPolicyAsync(posting, noDecisionAfterReceipt: 3, talentPool: 12);
        var (jobseeker, _) = await _portal.ApplyAsync(await _portal.CreatePostingAsync("First"), "dated@example.test");

        var fields = ApplyTests.Fields("dated@example.test", password: null);
        fields["KeepForFutureOpenings"] = "true";
        var id = await ApplyAgainAsync(jobseeker, posting, fields);

        var stored = await _portal.WithDbAsync(db => db.Applications.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal(stored.SubmittedAt.AddMonths(12), stored.DeletionDueAt);
        Assert.Equal(RetentionOutcome.TalentPool, stored.DeletionOutcome);
        Assert.False(stored.OnLegalHold);
        Assert.Equal(0, await RecomputedAsync(id));
    }

    [Fact]
    public async Task An_application_from_an_applicant_under_a_legal_hold_is_stored_held()
    {
        var (jobseeker, first) = await _portal.ApplyAsync(await _portal.CreatePostingAsync("First"), "held@example.test");
        await _portal.WithDbAsync(async db =>
        {
            var applicantId = await db.Applications.Where(a => a.Id == first).Select(a => a.ApplicantId).SingleAsync();
            db.LegalHolds.Add(LegalHold.OnApplicant(applicantId, "Court case 17", Guid.NewGuid(), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

        var id = await ApplyAgainAsync(jobseeker, await _portal.CreatePostingAsync("Second"),
            ApplyTests.Fields("held@example.test", password: null));

        var stored = await _portal.WithDbAsync(db => db.Applications.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.True(stored.OnLegalHold);
        Assert.Equal(RetentionOutcome.NoDecision, stored.DeletionOutcome);
        Assert.Equal(0, await RecomputedAsync(id));
    }

    /// <summary>A signed-in jobseeker applies through the form; returns the stored application's id.</summary>
    private static async Task<Guid> ApplyAgainAsync(PortalBrowser jobseeker, Guid posting, Dictionary<string, string> fields)
    {
        var url = $"/postings/{posting}/apply";
        var response = await jobseeker.SubmitAsync(url, url, fields, [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf")]);
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/')[2]);
    }

    /// <summary>How many of the applications the retention rules date differently from how they are stored.</summary>
    private async Task<int> RecomputedAsync(Guid applicationId)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Recruiting.Core.Data.RecruitingDbContext>();
        return await scope.ServiceProvider.GetRequiredService<DueDates>()
            .RecomputeAsync(db.Applications.Where(a => a.Id == applicationId), CancellationToken.None);
    }
}
