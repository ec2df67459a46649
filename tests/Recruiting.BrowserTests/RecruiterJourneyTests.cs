using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Recruiting.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed partial class RecruiterJourneyTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly PageGetByLabelOptions Exact = new() { Exact = true };

    [Fact]
    public async Task Recruiter_moves_a_candidate_through_the_pipeline_to_rejected_and_the_applicant_sees_the_status_and_the_access_log()
    {
        var app = fixture.App;
        var unique = Guid.NewGuid().ToString("N")[..8];
        var posting = await app.CreateOpenPostingAsync($"Payroll specialist {unique}", "Bergen",
            "Run our monthly payroll and answer colleagues' questions about it.");
        var recruiterEmail = $"rita.recruiter+{unique}@example.com";
        var recruiterPassword = $"rita chooses a long password {unique}";
        var applicantEmail = $"kari.nordmann+{unique}@example.com";
        const string applicantPassword = "correct horse battery staple";
        const string cvFileName = "kari-nordmann-cv.pdf";
        var cv = MinimalPdf.Create("Kari Nordmann: CV");

        await using var people = new BrowserSessions(fixture.Browser, app.BaseAddress);
        try
        {
            // Setup, at the same time: HR invites the recruiter through the UI, the recruiter chooses a password from
            // the mailed link, HR assigns them to the posting; meanwhile the jobseeker applies through the form, and
            // a second candidate (through the app's services) so that the search has someone to leave out.
            var browsers = await people.OpenAsync("hr", "recruiter", "applicant-applying", "applicant");
            var (hr, recruiter, applying, applicant) = (browsers[0], browsers[1], browsers[2], browsers[3]);
            await Task.WhenAll(
                OnboardRecruiterAsync(hr, recruiter, posting.Title, recruiterEmail, recruiterPassword),
                ApplyAsync(applying, posting.Title, applicantEmail, applicantPassword, cvFileName, cv),
                app.SubmitApplicationAsync(posting.Id, "Ola Nordmann", $"ola.nordmann+{unique}@example.com",
                    "another long password", MinimalPdf.Create("Ola Nordmann: CV")));

            // The recruiter finds the candidate, reads the CV, writes a note and moves them along to Rejected.
            await SignInAsync(recruiter, recruiterEmail, recruiterPassword);
            await OpenOwnPostingsCandidatesAsync(recruiter, posting.Title);
            await SearchAndOpenCandidateAsync(recruiter, applicantEmail, "Kari Nordmann");
            await DownloadCvAsync(recruiter, cvFileName, cv);
            await AddNoteAsync(recruiter, "Strong payroll background; ask about year-end closing.");
            await MoveAsync(recruiter, from: "Received", offered: ["Screening", "Rejected"], to: "Screening");
            await MoveAsync(recruiter, from: "Screening", offered: ["Interview", "Rejected"], to: "Interview");
            await MoveAsync(recruiter, from: "Interview", offered: ["Offer", "Rejected"], to: "Rejected");
            await Expect(recruiter.GetByLabel("New status", Exact)).ToHaveCountAsync(0); // decided: no moves left
            await Expect(recruiter.GetByRole(AriaRole.Button, new() { Name = "Change status" })).ToHaveCountAsync(0);

            // The applicant, in a browser of their own (not the one they applied in), signs in and sees the decision
            // and who looked.
            await SignInAsync(applicant, applicantEmail, applicantPassword);
            await ExpectRejectedWithAccessLogAsync(applicant, posting.Title);

            var rejection = await app.Mail.WaitForAsync(applicantEmail, "About your application");
            Assert.Contains("Dear Kari Nordmann,", rejection.Body);
            Assert.Contains($"\"{posting.Title}\"", rejection.Body);
            Assert.Contains("/my/applications", rejection.Body);

            people.AssertNoProblems();
        }
        catch
        {
            await people.SaveFailureArtifactsAsync(
                nameof(Recruiter_moves_a_candidate_through_the_pipeline_to_rejected_and_the_applicant_sees_the_status_and_the_access_log),
                output);
            throw;
        }
    }

    private static ILocator MainNavigation(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    private static ILocator StatusMessage(IPage page) => page.GetByRole(AriaRole.Status);

    /// <summary>Rows of a table's body: the header row has column headers, not cells.</summary>
    private static ILocator BodyRows(IPage page, ILocator table) =>
        table.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell) });

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        if (!LoginUrl().IsMatch(page.Url))
            await page.GotoAsync("/account/login");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Email", Exact).FillAsync(email);
        await page.GetByLabel("Password", Exact).FillAsync(password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(MainNavigation(page).GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    private async Task OnboardRecruiterAsync(IPage hr, IPage recruiter, string postingTitle, string email, string password)
    {
        await SignInAsync(hr, fixture.App.HrEmail, fixture.App.HrPassword);
        await InviteRecruiterAsync(hr, email);
        var invitation = await fixture.App.Mail.WaitForAsync(email, "Your invitation to the Recruiting portal");
        await ChoosePasswordAsync(recruiter, invitation, password);
        await AssignRecruiterAsync(hr, postingTitle, email);
    }

    private static async Task InviteRecruiterAsync(IPage hr, string email)
    {
        await MainNavigation(hr).GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        await Expect(hr.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 1 })).ToBeVisibleAsync();
        await hr.GetByLabel("Email", Exact).FillAsync(email);
        await hr.GetByLabel("Role", Exact).SelectOptionAsync(new SelectOptionValue { Label = "Recruiter" });
        await hr.GetByRole(AriaRole.Button, new() { Name = "Invite staff member" }).ClickAsync();

        await Expect(StatusMessage(hr)).ToHaveTextAsync("Invitation sent.");
        await Expect(hr.GetByLabel($"Role of {email}", Exact)).ToHaveValueAsync("Recruiter");
    }

    private static async Task ChoosePasswordAsync(IPage recruiter, SentMail invitation, string password)
    {
        // The mail's links use Portal:PublicUrl, not the test server's random port: follow the path and query only.
        await recruiter.GotoAsync(invitation.Link("/account/set-password").PathAndQuery);
        await Expect(recruiter.GetByRole(AriaRole.Heading, new() { Name = "Choose your password", Level = 1 })).ToBeVisibleAsync();
        await recruiter.GetByLabel("New password", Exact).FillAsync(password);
        await recruiter.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();

        await Expect(recruiter).ToHaveURLAsync(LoginUrl());
        await Expect(StatusMessage(recruiter)).ToHaveTextAsync("Your password is set. Please sign in.");
    }

    private static async Task AssignRecruiterAsync(IPage hr, string postingTitle, string recruiterEmail)
    {
        await MainNavigation(hr).GetByRole(AriaRole.Link, new() { Name = "Manage postings" }).ClickAsync();
        // Every row's links are named just "Candidates", "Edit", "Recruiters" (no posting in the name): scope to the row.
        var row = hr.GetByRole(AriaRole.Row).Filter(new() { Has = hr.GetByRole(AriaRole.Cell, new() { Name = postingTitle, Exact = true }) });
        await row.GetByRole(AriaRole.Link, new() { Name = "Recruiters" }).ClickAsync();

        await Expect(hr.GetByRole(AriaRole.Heading, new() { Name = $"Recruiters for {postingTitle}", Level = 1 })).ToBeVisibleAsync();
        await hr.GetByLabel(recruiterEmail, Exact).CheckAsync();
        await hr.GetByRole(AriaRole.Button, new() { Name = "Save assignments" }).ClickAsync();
        await Expect(StatusMessage(hr)).ToHaveTextAsync("Recruiters assigned.");
    }

    private async Task ApplyAsync(IPage page, string postingTitle, string email, string password, string cvFileName, byte[] cv)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = postingTitle, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Apply for this position" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Apply for {postingTitle}", Level = 1 })).ToBeVisibleAsync();

        await page.GetByLabel("Full name", Exact).FillAsync("Kari Nordmann");
        await page.GetByLabel("Email", Exact).FillAsync(email);
        await page.GetByLabel("Phone", Exact).FillAsync("+47 912 34 567");
        await page.GetByLabel("Address", Exact).FillAsync("Storgata 1\n0155 Oslo");
        await page.GetByLabel("Cover letter", Exact).FillAsync("Ten years of payroll in a company of 400, and I like it.");
        await page.GetByLabel("CV", Exact).SetInputFilesAsync(new FilePayload { Name = cvFileName, MimeType = "application/pdf", Buffer = cv });
        await page.GetByLabel("Password", Exact).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit application" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your mailbox", Level = 1 })).ToBeVisibleAsync();
        await fixture.App.Mail.ConfirmAddressAsync(page, email, password);
    }

    /// <summary>A recruiter's Manage postings lists only the postings assigned to them, without HR's Recruiters link.</summary>
    private async Task OpenOwnPostingsCandidatesAsync(IPage recruiter, string postingTitle)
    {
        await MainNavigation(recruiter).GetByRole(AriaRole.Link, new() { Name = "Manage postings" }).ClickAsync();
        await Expect(recruiter.GetByRole(AriaRole.Heading, new() { Name = "Manage postings", Level = 1 })).ToBeVisibleAsync();
        var table = recruiter.GetByRole(AriaRole.Table);
        var rows = BodyRows(recruiter, table);
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.GetByRole(AriaRole.Cell).First).ToHaveTextAsync(postingTitle);
        await Expect(table).Not.ToContainTextAsync(fixture.Posting.Title); // open, but not assigned to this recruiter
        await Expect(rows.GetByRole(AriaRole.Link, new() { Name = "Recruiters" })).ToHaveCountAsync(0);

        await rows.GetByRole(AriaRole.Link, new() { Name = "Candidates" }).ClickAsync();
        await Expect(recruiter.GetByRole(AriaRole.Heading, new() { Name = $"Candidates for {postingTitle}", Level = 1 })).ToBeVisibleAsync();
    }

    private static async Task SearchAndOpenCandidateAsync(IPage recruiter, string email, string fullName)
    {
        var rows = BodyRows(recruiter, recruiter.GetByRole(AriaRole.Table, new() { Name = "Candidates" }));
        await Expect(rows).ToHaveCountAsync(2);

        await recruiter.GetByLabel("Search name or email", Exact).FillAsync(email);
        await recruiter.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(recruiter.GetByLabel("Search name or email", Exact)).ToHaveValueAsync(email); // the results page keeps the query
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.GetByRole(AriaRole.Cell)).ToContainTextAsync([fullName, email, "Received"]);

        await rows.GetByRole(AriaRole.Link, new() { Name = fullName, Exact = true }).ClickAsync();
        await Expect(recruiter.GetByRole(AriaRole.Heading, new() { Name = fullName, Level = 1 })).ToBeVisibleAsync();
    }

    private static async Task DownloadCvAsync(IPage recruiter, string cvFileName, byte[] cv)
    {
        var download = await recruiter.RunAndWaitForDownloadAsync(() =>
            recruiter.GetByRole(AriaRole.Link, new() { Name = cvFileName, Exact = true }).ClickAsync());

        Assert.Equal(cvFileName, download.SuggestedFilename);
        Assert.Null(await download.FailureAsync());
        await using var content = await download.CreateReadStreamAsync();
        using var bytes = new MemoryStream();
        await content.CopyToAsync(bytes);
        Assert.Equal(cv, bytes.ToArray());
    }

    private static async Task AddNoteAsync(IPage recruiter, string text)
    {
        await recruiter.GetByLabel("New note", Exact).FillAsync(text);
        await recruiter.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(StatusMessage(recruiter)).ToHaveTextAsync("Note added.");
        // The author's own note comes back as an editable text area.
        await Expect(recruiter.GetByLabel(new Regex("^Edit your note of "))).ToHaveValueAsync(text);
        await Expect(recruiter.GetByLabel("New note", Exact)).ToBeEmptyAsync();
    }

    /// <summary>The status select offers exactly the allowed moves (so never Hired before an offer), then the move is made.</summary>
    private static async Task MoveAsync(IPage recruiter, string from, string[] offered, string to)
    {
        var current = recruiter.Locator(".candidate-status");
        var select = recruiter.GetByLabel("New status", Exact);
        await Expect(current).ToHaveTextAsync(from);
        await Expect(select.Locator("option")).ToHaveTextAsync(offered);
        await Expect(select.Locator("option", new() { HasText = "Hired" })).ToHaveCountAsync(0);

        await select.SelectOptionAsync(new SelectOptionValue { Label = to });
        await recruiter.GetByRole(AriaRole.Button, new() { Name = "Change status" }).ClickAsync();
        await Expect(StatusMessage(recruiter)).ToHaveTextAsync($"Status changed to {to}.");
        await Expect(current).ToHaveTextAsync(to);
    }

    private static async Task ExpectRejectedWithAccessLogAsync(IPage applicant, string postingTitle)
    {
        await MainNavigation(applicant).GetByRole(AriaRole.Link, new() { Name = "My applications" }).ClickAsync();
        await Expect(applicant.GetByRole(AriaRole.Heading, new() { Name = "My applications", Level = 1 })).ToBeVisibleAsync();
        var row = applicant.GetByRole(AriaRole.Row)
            .Filter(new() { Has = applicant.GetByRole(AriaRole.Link, new() { Name = postingTitle, Exact = true }) });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td.application-status")).ToHaveTextAsync("Rejected");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Withdraw" })).ToHaveCountAsync(0); // decided

        // The access log is the row after the application's, tied to it by the application id.
        var applicationId = await row.GetAttributeAsync("data-application-id");
        var log = applicant.Locator($"tr[data-access-log-for='{applicationId}']").GetByRole(AriaRole.Listitem);
        var viewed = log.Filter(new() { HasText = "A recruiter viewed your application on " });
        var downloaded = log.Filter(new() { HasText = "A recruiter downloaded your CV on " });
        await Expect(viewed.First).ToHaveTextAsync(AccessLogLine("A recruiter viewed your application"));
        await Expect(downloaded).ToHaveCountAsync(1);
        await Expect(downloaded).ToHaveTextAsync(AccessLogLine("A recruiter downloaded your CV"));
    }

    /// <summary>"… on 5 March 2026 at 14:07 UTC", as My applications writes an access-log entry.</summary>
    private static Regex AccessLogLine(string sentence) =>
        new($"^{Regex.Escape(sentence)} on \\d{{1,2}} [A-Z][a-z]+ \\d{{4}} at \\d{{2}}:\\d{{2}} UTC$");

    [GeneratedRegex("/account/login$")]
    private static partial Regex LoginUrl();
}
