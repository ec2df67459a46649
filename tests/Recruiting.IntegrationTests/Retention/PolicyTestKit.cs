using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Retention;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>Steps the retention-policy tests share, taken through the real pages.</summary>
internal static class PolicyTestKit
{
    /// <summary>31 August 2027: six months later is 29 February 2028 (AddMonths keeps to the month's last day).</summary>
    public static readonly DateTimeOffset Start = new(2027, 8, 31, 10, 0, 0, TimeSpan.Zero);

    public static Task<PortalBrowser> HrAsync(this PortalFactory portal) => portal.SignedInAsync(PortalFactory.HrEmail, portal.HrPassword);

    /// <summary>Moves the application on the candidate page, as staff do.</summary>
    public static async Task MoveAsync(this PortalBrowser staff, Guid applicationId, params ApplicationStatus[] steps)
    {
        foreach (var step in steps)
        {
            var page = await staff.GetPageAsync($"/candidates/{applicationId}");
            var action = $"/candidates/{applicationId}/status";
            HttpAssert.Status(HttpStatusCode.Redirect,
                await staff.PostAsync(action, PortalBrowser.AntiforgeryToken(page, action), new Dictionary<string, string> { ["status"] = step.ToString() }));
        }
    }

    public static Task<(DateTimeOffset? DueAt, RetentionOutcome? Outcome)> DueAsync(this PortalFactory portal, Guid applicationId) =>
        portal.WithDbAsync(async db =>
        {
            var a = await db.Applications.AsNoTracking().SingleAsync(x => x.Id == applicationId);
            return (a.DeletionDueAt, a.DeletionOutcome);
        });

    /// <summary>Fills the policy form (default when <paramref name="postingId"/> is null) and submits it: the preview comes back, nothing saved.</summary>
    public static async Task<HttpResponseMessage> ProposeAsync(this PortalBrowser hr, Guid? postingId, int rejected = 6, int withdrawn = 30,
        int noDecision = 6, int hired = 6, int talentPool = 24, bool remove = false, int noDecisionAfterReceipt = 6)
    {
        var page = await hr.GetPageAsync("/manage/retention/edit" + (postingId is { } id ? $"?postingId={id}" : ""));
        var fields = new Dictionary<string, string>();
        if (postingId is { } p) fields["PostingId"] = p.ToString();
        if (remove)
            fields["Remove"] = "true";
        else
        {
            fields["RejectedMonths"] = rejected.ToString();
            fields["WithdrawnDays"] = withdrawn.ToString();
            fields["NoDecisionMonthsAfterClosing"] = noDecision.ToString();
            fields["HiredMonths"] = hired.ToString();
            fields["TalentPoolMonths"] = talentPool.ToString();
            fields["NoDecisionMonthsAfterReceipt"] = noDecisionAfterReceipt.ToString();
        }
        return await hr.PostAsync("/manage/retention/edit", PortalBrowser.AntiforgeryToken(page, "/manage/retention/edit"), fields);
    }

    public static async Task<IHtmlDocument> PreviewAsync(this PortalBrowser hr, Guid? postingId, int rejected = 6, int withdrawn = 30,
        int noDecision = 6, int hired = 6, int talentPool = 24, bool remove = false, int noDecisionAfterReceipt = 6)
    {
        var response = await hr.ProposeAsync(postingId, rejected, withdrawn, noDecision, hired, talentPool, remove, noDecisionAfterReceipt);
        HttpAssert.Status(HttpStatusCode.OK, response);
        var page = await PortalBrowser.ParseAsync(response);
        Assert.NotNull(page.QuerySelector(".not-saved"));
        return page;
    }

    /// <summary>Presses "Confirm and save" on the preview: posts its hidden values and its antiforgery token.</summary>
    public static async Task ConfirmAsync(this PortalBrowser hr, IHtmlDocument preview)
    {
        var form = preview.QuerySelector<IHtmlFormElement>("form.confirm-form")!;
        Assert.Equal("Confirm and save", form.QuerySelector("button[type=submit]")!.TextContent.Trim());
        var fields = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]").ToDictionary(i => i.Name!, i => i.Value);
        var response = await hr.PostAsync(form.GetAttribute("action")!, null, fields);
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        Assert.Equal("/manage/retention", response.Headers.Location!.OriginalString);
    }

    public static async Task SetPolicyAsync(this PortalBrowser hr, Guid? postingId, int rejected = 6, int withdrawn = 30,
        int noDecision = 6, int hired = 6, int talentPool = 24, bool remove = false, int noDecisionAfterReceipt = 6) =>
        await hr.ConfirmAsync(await hr.PreviewAsync(postingId, rejected, withdrawn, noDecision, hired, talentPool, remove, noDecisionAfterReceipt));
}
