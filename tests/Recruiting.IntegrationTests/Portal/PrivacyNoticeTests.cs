using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Retention;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Portal;

/// <summary>The privacy notice states the retention policies in force, and an application proves which text its applicant saw.</summary>
public sealed class PrivacyNoticeTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private Guid _postingId;

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Data engineer");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private string ApplyUrl => $"/postings/{_postingId}/apply";

    private static (string Version, string Text) NoticeOn(IHtmlDocument page)
    {
        var notice = page.QuerySelector(".privacy-notice")!;
        return (notice.GetAttribute("data-notice-version")!, notice.TextContent);
    }

    private async Task<(string Version, string Text)> ApplyFormNoticeAsync(PortalBrowser browser) =>
        NoticeOn(await browser.GetPageAsync(ApplyUrl));

    [Fact]
    public async Task The_notice_states_the_policies_HR_set_and_its_version_changes_with_them()
    {
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        var (generalBefore, generalText) = NoticeOn(await visitor.GetPageAsync("/privacy"));
        Assert.Contains("By default: 6 months after a rejection, 30 days after you withdraw", generalText);
        Assert.Contains("A position may have its own retention policy", generalText);
        var (formBefore, formText) = await ApplyFormNoticeAsync(visitor);
        Assert.Contains("For this position: 6 months after a rejection", formText);

        var hr = await _portal.HrAsync();
        await hr.SetPolicyAsync(null, rejected: 3, talentPool: 12);
        var (generalAfter, generalTextAfter) = NoticeOn(await visitor.GetPageAsync("/privacy"));
        Assert.Contains("By default: 3 months after a rejection", generalTextAfter);
        Assert.Contains("we keep it 12 months from your consent", generalTextAfter);
        Assert.NotEqual(generalBefore, generalAfter);
        var (formAfterDefault, formTextAfterDefault) = await ApplyFormNoticeAsync(visitor);
        Assert.Contains("For this position: 3 months after a rejection", formTextAfterDefault);
        Assert.NotEqual(formBefore, formAfterDefault);

        // The posting's own policy shows on its form only; the general notice keeps the default.
        await hr.SetPolicyAsync(_postingId, rejected: 9, withdrawn: 14);
        var (formOverride, formTextOverride) = await ApplyFormNoticeAsync(visitor);
        Assert.Contains("For this position: 9 months after a rejection, 14 days after you withdraw", formTextOverride);
        Assert.NotEqual(formAfterDefault, formOverride);
        Assert.Equal(generalAfter, NoticeOn(await visitor.GetPageAsync("/privacy")).Version);

        // Unchanged policies, unchanged text: the same version every time it is shown.
        Assert.Equal(formOverride, (await ApplyFormNoticeAsync(visitor)).Version);
    }

    [Fact]
    public async Task Applications_under_different_policies_record_different_versions_that_resolve_to_the_texts_shown()
    {
        var (first, firstApplication) = await _portal.ApplyAsync(_postingId, "first@example.test");
        var hr = await _portal.HrAsync();
        await hr.SetPolicyAsync(_postingId, rejected: 2);
        var (_, secondApplication) = await _portal.ApplyAsync(_postingId, "second@example.test");

        var versions = await _portal.WithDbAsync(db => db.Applications.AsNoTracking()
            .ToDictionaryAsync(a => a.Id, a => a.NoticeVersion));
        Assert.NotEqual(versions[firstApplication], versions[secondApplication]);
        Assert.All(versions.Values, v => Assert.Matches("^[0-9a-f]{64}$", v));

        var anyone = new PortalBrowser(_portal.CreateBrowserClient());
        var firstText = (await anyone.GetPageAsync($"/privacy/notices/{versions[firstApplication]}")).QuerySelector(".notice-text")!.TextContent;
        var secondText = (await anyone.GetPageAsync($"/privacy/notices/{versions[secondApplication]}")).QuerySelector(".notice-text")!.TextContent;
        Assert.Contains("For this position: 6 months after a rejection", firstText);
        Assert.Contains("For this position: 2 months after a rejection", secondText);
        // The archived text is exactly what was hashed into the version.
        Assert.Equal(versions[firstApplication], Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(firstText))));
        await anyone.GetPageAsync($"/privacy/notices/{new string('0', 64)}", HttpStatusCode.NotFound);

        // The applicant finds the version they saw on My data, linked to its text.
        var link = (await first.GetPageAsync("/my/data")).QuerySelector($"a.notice-version[href='/privacy/notices/{versions[firstApplication]}']");
        Assert.NotNull(link);
        // And HR on the candidate page, to read what the applicant was told.
        Assert.NotNull((await hr.GetPageAsync($"/candidates/{secondApplication}"))
            .QuerySelector($"a.notice-version[href='/privacy/notices/{versions[secondApplication]}']"));
    }

    [Fact]
    public async Task A_form_whose_notice_changed_before_submit_stores_nothing_and_shows_the_new_notice()
    {
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        var page = await visitor.GetPageAsync(ApplyUrl);
        var token = PortalBrowser.AntiforgeryToken(page, ApplyUrl);
        var shown = page.QuerySelector<IHtmlInputElement>("input[name=NoticeVersion]")!.Value;

        var hr = await _portal.HrAsync();
        await hr.SetPolicyAsync(null, rejected: 4);

        var fields = ApplyTests.Fields("late@example.test");
        fields["NoticeVersion"] = shown;
        var response = await visitor.PostAsync(ApplyUrl, token, fields, [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf")]);
        HttpAssert.Status(HttpStatusCode.OK, response);
        var again = await PortalBrowser.ParseAsync(response);
        Assert.Contains("The privacy notice has changed since you opened this form", again.QuerySelector("[role=alert]")!.TextContent);
        var (current, text) = NoticeOn(again);
        Assert.Contains("For this position: 4 months after a rejection", text);
        Assert.Equal(current, again.QuerySelector<IHtmlInputElement>("input[name=NoticeVersion]")!.Value);
        Assert.NotEqual(shown, current);
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Applications.CountAsync()));
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Applicants.CountAsync()));
        Assert.Empty(_portal.BlobFiles());

        // Read and sent again, it is stored with the notice now shown.
        var resent = await visitor.SubmitAsync(ApplyUrl, ApplyUrl, ApplyTests.Fields("late@example.test"),
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf")]);
        HttpAssert.Redirect($"/postings/{_postingId}/apply/sent", resent);
        Assert.Equal(current, await _portal.WithDbAsync(db => db.Applications.Select(a => a.NoticeVersion).SingleAsync()));
    }
}
