using System.Net;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Identity;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>Art. 16 from My data: contact details and the CV, seen by recruiters at once, audited without values.</summary>
public sealed class MyDataRectificationTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private Guid _posting;
    private PortalBrowser _desk = null!;

    public async Task InitializeAsync()
    {
        _posting = await _portal.CreatePostingAsync("Archivist");
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        await _portal.AssignAsync(_posting, recruiter.Id);
        _desk = await _portal.SignedInAsync(recruiter.Email, recruiter.Password);
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static Dictionary<string, string> Details(string email, string phone = "+47 400 00 000", string? address = null) =>
        new() { ["FullName"] = "Ada Applicant", ["Email"] = email, ["Phone"] = phone, ["Address"] = address ?? "" };

    [Fact]
    public async Task Corrected_contact_details_reach_the_recruiter_at_once_and_are_audited_by_field_name_only()
    {
        var (browser, id) = await _portal.ApplyAsync(_posting, "ada@example.test");
        var form = await browser.GetPageAsync("/my/data/profile");
        Assert.Equal("+47 400 00 000", form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Phone")!.Value);
        Assert.Equal("ada@example.test", form.QuerySelector(".account-email")!.TextContent.Trim());

        var invalid = await browser.SubmitAsync("/my/data/profile", "/my/data/profile", Details("ada@example.test", phone: "call me maybe"));
        HttpAssert.Status(HttpStatusCode.OK, invalid);
        Assert.Contains("valid phone number", (await PortalBrowser.ParseAsync(invalid)).Body!.TextContent);

        var saved = await browser.SubmitAsync("/my/data/profile", "/my/data/profile",
            Details("ada@example.test", phone: "+47 911 22 333", address: "Kirkegata 5, Bergen"));
        HttpAssert.Status(HttpStatusCode.Redirect, saved);
        var page = await browser.GetPageAsync("/my/data");
        Assert.Equal("Your details are corrected.", page.MessageText());
        Assert.Equal("+47 911 22 333", page.QuerySelector(".profile-phone")!.TextContent.Trim());

        var candidate = (await _desk.GetPageAsync($"/candidates/{id}")).QuerySelector(".contact")!.TextContent;
        Assert.Contains("+47 911 22 333", candidate);
        Assert.Contains("Kirkegata 5, Bergen", candidate);

        var request = Assert.Single(await _portal.WithDbAsync(db => db.Requests.ToListAsync()));
        Assert.Equal((RequestType.Rectification, RequestStatus.Completed), (request.Type, request.Status));
        Assert.NotNull(request.CompletedAt);
        var corrected = Assert.Single(await _portal.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditAction.ContactDetailsCorrected).ToListAsync()));
        Assert.Equal("fields=Phone,Address", corrected.Counts);
        Assert.Equal(request.Id, corrected.RequestId);
        Assert.Equal(Roles.Jobseeker, corrected.ActorRole);
        var audit = await _portal.WithDbAsync(db => db.AuditEvents.Select(e => e.Counts ?? "").ToListAsync());
        Assert.DoesNotContain(audit, c => c.Contains("911") || c.Contains("Bergen"));

        // Saving the same details again changes nothing and files nothing.
        await browser.SubmitAsync("/my/data/profile", "/my/data/profile",
            Details("ada@example.test", phone: "+47 911 22 333", address: "Kirkegata 5, Bergen"));
        Assert.Contains("Nothing has changed", (await browser.GetPageAsync("/my/data")).MessageText());
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Requests.CountAsync()));
    }

    [Fact]
    public async Task A_corrected_name_is_found_by_the_new_name_only_and_the_search_index_keeps_none_of_the_old()
    {
        var (browser, _) = await _portal.ApplyAsync(_posting, "ada@example.test", fullName: "Ada Quillfeather");
        var list = $"/manage/postings/{_posting}/candidates?q=";
        Assert.Single((await _desk.GetPageAsync(list + "QUILLFEATH")).QuerySelectorAll("tr[data-application-id]"));

        var corrected = Details("ada@example.test");
        corrected["FullName"] = "Ada Brightwater";
        HttpAssert.Status(HttpStatusCode.Redirect, await browser.SubmitAsync("/my/data/profile", "/my/data/profile", corrected));

        Assert.Empty((await _desk.GetPageAsync(list + "quillfeath")).QuerySelectorAll("tr[data-application-id]"));
        Assert.Contains("Ada Brightwater", Assert.Single((await _desk.GetPageAsync(list + "tWaT")).QuerySelectorAll("tr[data-application-id]")).TextContent);
        Assert.Empty(await NameSearchIndex.TracesOfAsync(_portal, "Ada Quillfeather"));
    }

    /// <summary>The address is the sign-in name: it moves only in two steps (EmailChangeTests), never with this form.</summary>
    [Fact]
    public async Task The_correction_form_shows_the_email_address_and_a_posted_one_changes_nothing()
    {
        var (browser, id) = await _portal.ApplyAsync(_posting, "kept@example.test");
        var form = await browser.GetPageAsync("/my/data/profile");
        Assert.Null(form.QuerySelector("form[action='/my/data/profile'] input[name=Email]"));
        Assert.NotNull(form.QuerySelector("a[href='/my/data/email']"));

        HttpAssert.Redirect("/my/data", await browser.SubmitAsync("/my/data/profile", "/my/data/profile",
            Details("someone.else@example.test", phone: "+47 911 22 333")));
        var user = await _portal.WithDbAsync(db => db.Users.SingleAsync(u => u.NormalizedEmail == "KEPT@EXAMPLE.TEST"));
        Assert.Equal(("kept@example.test", "kept@example.test", true, (string?)null), (user.Email, user.UserName, user.EmailConfirmed, user.PendingEmail));
        Assert.Contains("kept@example.test", (await _desk.GetPageAsync($"/candidates/{id}")).QuerySelector(".contact")!.TextContent);
        var corrected = Assert.Single(await _portal.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditAction.ContactDetailsCorrected).ToListAsync()));
        Assert.Equal("fields=Phone", corrected.Counts);
        Assert.False(await _portal.WithDbAsync(db => db.Users.AnyAsync(u => u.NormalizedEmail == "SOMEONE.ELSE@EXAMPLE.TEST")));
    }

    [Fact]
    public async Task The_cv_of_an_open_application_is_replaced_checked_like_on_the_apply_form_and_the_old_blob_goes()
    {
        var (browser, id) = await _portal.ApplyAsync(_posting, "cv@example.test");
        var oldBlob = Assert.Single(_portal.BlobFiles());
        var newCv = SampleFiles.Docx();

        var refused = await browser.PostAndFollowAsync($"/my/applications/{id}/cv", files:
            [new FormFile("cv", "cv.pdf.exe", SampleFiles.Exe())]);
        Assert.StartsWith("cv.pdf.exe: ", refused.ErrorText());
        Assert.Equal([oldBlob], _portal.BlobFiles());

        var page = await browser.PostAndFollowAsync($"/my/applications/{id}/cv", files: [new FormFile("cv", "CV 2027.docx", newCv)]);
        Assert.Contains("Your CV is replaced", page.MessageText());
        var cv = Assert.Single(await _portal.WithDbAsync(db => db.Documents.Where(d => d.ApplicationId == id).ToListAsync()));
        Assert.Equal((DocumentKind.Cv, "CV 2027.docx", (long)newCv.Length), (cv.Kind, cv.OriginalFileName, cv.Size));
        var blob = Assert.Single(_portal.BlobFiles());
        Assert.NotEqual(oldBlob, blob);
        Assert.Equal(newCv, await File.ReadAllBytesAsync(blob));

        var candidate = await _desk.GetPageAsync($"/candidates/{id}");
        var link = Assert.Single(candidate.QuerySelectorAll($"a[href^='/candidates/{id}/documents/']"));
        Assert.Equal("CV 2027.docx", link.TextContent.Trim());
        Assert.Equal(newCv, await (await _desk.Client.GetAsync(link.GetAttribute("href"))).Content.ReadAsByteArrayAsync());

        var audit = await _portal.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditAction.CvReplaced).SingleAsync());
        Assert.Equal((id, "documents=1"), (audit.ApplicationId!.Value, audit.Counts));
        var request = await _portal.WithDbAsync(db => db.Requests.SingleAsync());
        Assert.Equal((RequestType.Rectification, RequestStatus.Completed, (Guid?)id), (request.Type, request.Status, request.ApplicationId));

        // Once decided, the CV stays as it was.
        await _portal.WithDbAsync(db => db.Applications.ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, ApplicationStatus.Rejected)));
        var decided = await browser.PostAndFollowAsync($"/my/applications/{id}/cv", files: [new FormFile("cv", "again.pdf", SampleFiles.Pdf())]);
        Assert.Contains("can no longer be replaced", decided.ErrorText());
        Assert.Null(decided.QuerySelector($"form[action='/my/applications/{id}/cv']"));
        Assert.Equal([blob], _portal.BlobFiles());
    }
}
