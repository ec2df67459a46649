using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Recruiting.Core.Rights;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Recruiting.BrowserTests;

/// <summary>
/// The data-rights features end to end, tried as a new user would: apply, confirm the address, download my data and check the ZIP;
/// correct a detail; restrict and see the application leave a recruiter's list; withdraw consent from a mailed link;
/// delete my data and find no trace of it in the data folder. One journey, because each step builds on the last.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DataRightsJourneyTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly PageGetByLabelOptions Exact = new() { Exact = true };

    private const string Password = "sigrid picks a long passphrase";

    [Fact]
    public async Task New_user_applies_downloads_corrects_restricts_opts_out_and_deletes_their_data_leaving_no_trace()
    {
        var app = fixture.App;
        // Letters only, so the name is one a person could have; every detail is unique to this run, to search for later.
        var unique = new string(RandomNumberGenerator.GetBytes(8).Select(b => (char)('a' + b % 26)).ToArray());
        var person = new Person(
            FullName: $"Sigrid {char.ToUpperInvariant(unique[0])}{unique[1..]}",
            Email: $"sigrid.{unique}@example.com",
            Phone: $"+47 9{RandomNumberGenerator.GetInt32(10_000_000):D7}",
            CorrectedPhone: $"+47 4{RandomNumberGenerator.GetInt32(10_000_000):D7}",
            Address: $"Fjordveien {unique}\n5003 Bergen",
            CoverLetter: $"I have run payroll for years; ask me about {unique} and year-end closing.",
            CvMarker: $"CV-MARKER-{Guid.NewGuid():N}");
        var cv = MinimalPdf.Create($"{person.FullName}: CV {person.CvMarker}");
        var posting = await app.CreateOpenPostingAsync($"Payroll analyst {unique}", "Bergen",
            "Run our monthly payroll and answer colleagues' questions about it.");

        await using var people = new BrowserSessions(fixture.Browser, app.BaseAddress);
        try
        {
            var browsers = await people.OpenAsync("applicant", "recruiter", "hr", "mail-reader");
            var (applicant, recruiter, hr, mailReader) = (browsers[0], browsers[1], browsers[2], browsers[3]);

            // At the same time: the visitor applies (ticking the talent pool), a recruiter assigned to the posting and
            // HR sign in.
            await Task.WhenAll(
                ApplyAsync(applicant, posting.Title, person, cv),
                SignInRecruiterAsync(recruiter, posting.Id),
                SignInAsync(hr, app.HrEmail, app.HrPassword, expectSignedIn: true));

            // 1. Confirm the address from the mail (which signs in), find My data, download my data and check the ZIP.
            await app.Mail.ConfirmAddressAsync(applicant, person.Email, Password);
            await MainNavigation(applicant).GetByRole(AriaRole.Link, new() { Name = "My data", Exact = true }).ClickAsync();
            await Expect(applicant.GetByRole(AriaRole.Heading, new() { Name = "My data", Level = 1 })).ToBeVisibleAsync();
            await Expect(applicant.Locator(".profile-name")).ToHaveTextAsync(person.FullName);
            await Expect(applicant.Locator(".profile-email")).ToHaveTextAsync(person.Email);
            await Expect(applicant.Locator(".profile-phone")).ToHaveTextAsync(person.Phone);
            await Expect(applicant.Locator(".email-state")).ToHaveTextAsync("confirmed");
            await Expect(applicant.Locator(".talent-pool")).ToHaveTextAsync("Yes");
            await DownloadMyDataAndCheckTheZipAsync(applicant, person, cv);

            // 2. Correct the phone number.
            await applicant.GetByRole(AriaRole.Link, new() { Name = "Correct my details" }).ClickAsync();
            await Expect(applicant.GetByRole(AriaRole.Heading, new() { Name = "Correct my details", Level = 1 })).ToBeVisibleAsync();
            await Expect(applicant.GetByLabel("Phone", Exact)).ToHaveValueAsync(person.Phone);
            await applicant.GetByLabel("Phone", Exact).FillAsync(person.CorrectedPhone);
            await applicant.GetByRole(AriaRole.Button, new() { Name = "Save corrections" }).ClickAsync();
            await Expect(applicant).ToHaveURLAsync(MyDataUrl());
            await Expect(applicant.Locator(".profile-phone")).ToHaveTextAsync(person.CorrectedPhone);

            // 3. HR opens a new posting; the talent-pool mail's opt-out link works in a browser that is not signed in.
            var opening = $"Payroll team lead {unique}";
            await CreateAndOpenPostingAsync(hr, opening);
            var newOpening = await app.Mail.WaitForAsync(person.Email, $"New opening: {opening}");
            await mailReader.GotoAsync(newOpening.Link(OptOutLinks.Path).PathAndQuery);
            await Expect(mailReader.GetByRole(AriaRole.Heading, new() { Name = "Stop mails about new openings", Level = 1 }))
                .ToBeVisibleAsync();
            await mailReader.GetByRole(AriaRole.Button, new() { Name = "Withdraw my consent and stop these mails" }).ClickAsync();
            await Expect(mailReader.GetByRole(AriaRole.Heading, new() { Name = "Consent withdrawn", Level = 1 })).ToBeVisibleAsync();
            await Expect(MainNavigation(mailReader).GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);
            await applicant.ReloadAsync();
            await Expect(applicant.Locator(".talent-pool")).ToHaveTextAsync("No");
            await Expect(applicant.Locator(".consent-withdrawn")).ToHaveTextAsync(new Regex(@"^\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} UTC$"));

            // 4. The recruiter sees the candidate; the applicant restricts the application; it leaves the recruiter's list.
            // (After the opt-out: a restricted applicant gets no talent-pool mail.)
            var candidates = await OpenCandidatesAsync(recruiter, posting.Title);
            await Expect(candidates).ToHaveCountAsync(1);
            await Expect(candidates.GetByRole(AriaRole.Cell)).ToContainTextAsync([person.FullName, person.Email]);
            await applicant.GetByText("Restrict processing (GDPR Art. 18)").ClickAsync();
            await applicant.GetByLabel("I contest the accuracy of my data", Exact).CheckAsync();
            await applicant.GetByRole(AriaRole.Button, new() { Name = "Restrict processing", Exact = true }).ClickAsync();
            await Expect(applicant.Locator(".restricted")).ToHaveTextAsync(new Regex("^Yes"));
            await recruiter.ReloadAsync();
            await Expect(recruiter.GetByRole(AriaRole.Heading, new() { Name = $"Candidates for {posting.Title}", Level = 1 }))
                .ToBeVisibleAsync();
            await Expect(candidates).ToHaveCountAsync(0);
            await Expect(recruiter.GetByRole(AriaRole.Main)).Not.ToContainTextAsync(person.FullName);

            // 5. Delete my data, with the password; once the erasure is done, nothing of them is left in the data folder.
            var traces = person.Traces(cv);
            var before = traces.InFolder(app.DataPath, skipFolder: "mail").Concat(await InDatabaseAsync(app, traces)).ToList();
            Assert.Contains(before, f => f.EndsWith(": name (UTF-8)")); // the search finds them while they are there
            if (RecruitingApp.OnPostgreSql)
                Assert.Contains(before, f => f.StartsWith("database: ") && f.EndsWith(": name (UTF-8)"));
            Assert.Contains(before, f => f.EndsWith(": CV bytes"));
            await DeleteMyDataAsync(applicant, person);

            var left = traces.InFolder(app.DataPath, skipFolder: "mail").Concat(await InDatabaseAsync(app, traces)).ToList();
            Assert.True(left.Count == 0, "Found after erasure:\n" + string.Join("\n", left));

            people.AssertNoProblems();
        }
        catch
        {
            await people.SaveFailureArtifactsAsync(
                nameof(New_user_applies_downloads_corrects_restricts_opts_out_and_deletes_their_data_leaving_no_trace), output);
            throw;
        }
    }

    private sealed record Person(string FullName, string Email, string Phone, string CorrectedPhone, string Address,
        string CoverLetter, string CvMarker)
    {
        public Traces Traces(byte[] cv) => new Traces()
            .Text("name", FullName).Text("email", Email).Text("phone", Phone).Text("corrected phone", CorrectedPhone)
            .Text("address", Address).Text("cover letter", CoverLetter).Text("CV marker", CvMarker)
            .Bytes("CV bytes", cv);
    }

    private static ILocator MainNavigation(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    private static ILocator StatusMessage(IPage page) => page.GetByRole(AriaRole.Status);

    private static async Task SignInAsync(IPage page, string email, string password, bool expectSignedIn)
    {
        await page.GotoAsync("/account/login");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Email", Exact).FillAsync(email);
        await page.GetByLabel("Password", Exact).FillAsync(password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var signOut = MainNavigation(page).GetByRole(AriaRole.Button, new() { Name = "Sign out" });
        if (expectSignedIn)
            await Expect(signOut).ToBeVisibleAsync();
        else
        {
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
            await Expect(signOut).ToHaveCountAsync(0);
        }
    }

    private async Task SignInRecruiterAsync(IPage recruiter, Guid postingId)
    {
        var (email, password) = await fixture.App.CreateRecruiterAsync(postingId);
        await SignInAsync(recruiter, email, password, expectSignedIn: true);
    }

    private static async Task ApplyAsync(IPage page, string postingTitle, Person person, byte[] cv)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = postingTitle, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Apply for this position" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Apply for {postingTitle}", Level = 1 })).ToBeVisibleAsync();

        await page.GetByLabel("Full name", Exact).FillAsync(person.FullName);
        await page.GetByLabel("Email", Exact).FillAsync(person.Email);
        await page.GetByLabel("Phone", Exact).FillAsync(person.Phone);
        await page.GetByLabel("Address", Exact).FillAsync(person.Address);
        await page.GetByLabel("Cover letter", Exact).FillAsync(person.CoverLetter);
        await page.GetByLabel("CV", Exact).SetInputFilesAsync(new FilePayload { Name = "sigrid-cv.pdf", MimeType = "application/pdf", Buffer = cv });
        var keep = page.GetByLabel(new Regex("^Keep my application for future openings"));
        await Expect(keep).Not.ToBeCheckedAsync(); // a separate choice, unticked until they tick it
        await keep.CheckAsync();
        await page.GetByLabel("Password", Exact).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit application" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your mailbox", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>
    /// "Download my data", then reloads My data until the job's ZIP is listed (as a person would), downloads it, and
    /// compares data.json and the CV with what was entered.
    /// </summary>
    private async Task DownloadMyDataAndCheckTheZipAsync(IPage applicant, Person person, byte[] cv)
    {
        await applicant.GetByRole(AriaRole.Button, new() { Name = "Download my data" }).ClickAsync();
        // The job may finish before the page is back, so the confirmation is what is always there, not "being prepared".
        await Expect(applicant.Locator(".alert-success")).ToContainTextAsync("preparing a copy");

        var link = applicant.GetByRole(AriaRole.Link, new() { Name = "Download the ZIP" });
        await Wait.UntilAsync(async () =>
        {
            await applicant.ReloadAsync();
            return await link.CountAsync() > 0;
        }, "the ZIP to be listed under My requests");
        await fixture.App.Mail.WaitForAsync(person.Email, "Your data is ready to download");

        var download = await applicant.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Null(await download.FailureAsync());
        Assert.Matches(@"^my-data-\d{4}-\d{2}-\d{2}\.zip$", download.SuggestedFilename);
        using var bytes = new MemoryStream();
        await using (var content = await download.CreateReadStreamAsync())
            await content.CopyToAsync(bytes);
        bytes.Position = 0;
        using var zip = new ZipArchive(bytes, ZipArchiveMode.Read);

        using var data = JsonDocument.Parse(await ReadEntryAsync(zip, "data.json"));
        var profile = data.RootElement.GetProperty("profile");
        Assert.Equal(person.FullName, profile.GetProperty("fullName").GetString());
        Assert.Equal(person.Email, profile.GetProperty("email").GetString());
        Assert.Equal(person.Phone, profile.GetProperty("phone").GetString());
        var application = Assert.Single(data.RootElement.GetProperty("applications").EnumerateArray());
        Assert.Equal(person.CoverLetter, application.GetProperty("coverLetter").GetString());
        Assert.True(application.GetProperty("inTalentPool").GetBoolean());
        var document = Assert.Single(application.GetProperty("documents").EnumerateArray());
        Assert.Equal("sigrid-cv.pdf", document.GetProperty("originalName").GetString());
        Assert.Equal(cv, await ReadEntryAsync(zip, document.GetProperty("zipPath").GetString()!));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(cv)), document.GetProperty("sha256").GetString(),
            StringComparer.OrdinalIgnoreCase);
    }

    private static async Task<byte[]> ReadEntryAsync(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException(
            $"The ZIP has no {name}; it has: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        await using var stream = entry.Open();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The recruiter's Manage postings, the posting's Candidates; returns the table's body rows.</summary>
    private static async Task<ILocator> OpenCandidatesAsync(IPage recruiter, string postingTitle)
    {
        await MainNavigation(recruiter).GetByRole(AriaRole.Link, new() { Name = "Manage postings" }).ClickAsync();
        await recruiter.GetByRole(AriaRole.Link, new() { Name = $"Candidates for {postingTitle}", Exact = true }).ClickAsync();
        await Expect(recruiter.GetByRole(AriaRole.Heading, new() { Name = $"Candidates for {postingTitle}", Level = 1 }))
            .ToBeVisibleAsync();
        return recruiter.GetByRole(AriaRole.Table, new() { Name = "Candidates" }).GetByRole(AriaRole.Row)
            .Filter(new() { Has = recruiter.GetByRole(AriaRole.Cell) });
    }

    private static async Task CreateAndOpenPostingAsync(IPage hr, string title)
    {
        await MainNavigation(hr).GetByRole(AriaRole.Link, new() { Name = "Manage postings" }).ClickAsync();
        await hr.GetByRole(AriaRole.Link, new() { Name = "New posting" }).ClickAsync();
        await Expect(hr.GetByRole(AriaRole.Heading, new() { Name = "New posting", Level = 1 })).ToBeVisibleAsync();
        await hr.GetByLabel("Title", Exact).FillAsync(title);
        await hr.GetByLabel("Location", Exact).FillAsync("Bergen");
        await hr.GetByLabel("Description", Exact).FillAsync("Lead our payroll team of four.");
        await hr.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(hr.GetByRole(AriaRole.Heading, new() { Name = "Manage postings", Level = 1 })).ToBeVisibleAsync();
        await hr.GetByRole(AriaRole.Button, new() { Name = $"Open {title}", Exact = true }).ClickAsync();
        await Expect(StatusMessage(hr)).ToHaveTextAsync("Posting opened: it is listed publicly and accepts applications.");
    }

    /// <summary>
    /// "Delete my data" with the password; the receipt mail names the request, whose completion is then awaited in
    /// the database. Afterwards the account no longer signs in.
    /// </summary>
    private async Task DeleteMyDataAsync(IPage applicant, Person person)
    {
        await applicant.GetByRole(AriaRole.Link, new() { Name = "Delete my data" }).ClickAsync();
        await Expect(applicant.GetByRole(AriaRole.Heading, new() { Name = "Delete my data", Level = 1 })).ToBeVisibleAsync();
        await applicant.GetByLabel("Your password, to confirm it is you", Exact).FillAsync(Password);
        await applicant.GetByRole(AriaRole.Button, new() { Name = "Delete my data" }).ClickAsync();
        await Expect(applicant.GetByRole(AriaRole.Heading, new() { Name = "Your data is being deleted", Level = 1 })).ToBeVisibleAsync();
        await Expect(MainNavigation(applicant).GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);

        var receipt = await fixture.App.Mail.WaitForAsync(person.Email, "Your data has been deleted", TimeSpan.FromSeconds(30));
        var requestId = Guid.Parse(RequestNumber().Match(receipt.Body) is { Success: true } m
            ? m.Groups["id"].Value
            : throw new InvalidOperationException("The receipt names no request number:\n" + receipt.Body));
        await Wait.UntilAsync(() => fixture.App.WithDbAsync(db =>
            db.Requests.AnyAsync(r => r.Id == requestId && r.Status == RequestStatus.Completed && r.ApplicantId == null)),
            $"erasure request {requestId} to complete", TimeSpan.FromSeconds(30));

        await SignInAsync(applicant, person.Email, Password, expectSignedIn: false);
    }

    [GeneratedRegex("/my/data$")]
    private static partial Regex MyDataUrl();

    [GeneratedRegex(@"Request number: (?<id>[0-9a-fA-F-]{36})")]
    private static partial Regex RequestNumber();

    /// <summary>On PostgreSQL the database is not in the data folder: its rows are searched as text.</summary>
    private static async Task<IReadOnlyList<string>> InDatabaseAsync(RecruitingApp app, Traces traces) =>
        RecruitingApp.OnPostgreSql ? traces.InRows("database", await app.DatabaseRowsAsTextAsync()) : [];

    /// <summary>
    /// A person's details as the bytes they could be stored as: each text as typed, lower- and upper-cased (Identity
    /// keeps normalised copies), in UTF-8 and UTF-16LE; and raw bytes such as a document's.
    /// </summary>
    private sealed class Traces
    {
        private readonly List<(string What, byte[] Bytes)> _needles = [];

        public Traces Text(string what, string value)
        {
            foreach (var variant in new[] { value, value.ToLowerInvariant(), value.ToUpperInvariant() }.Distinct())
            {
                _needles.Add(($"{what} (UTF-8)", Encoding.UTF8.GetBytes(variant)));
                _needles.Add(($"{what} (UTF-16LE)", Encoding.Unicode.GetBytes(variant)));
            }
            return this;
        }

        public Traces Bytes(string what, byte[] bytes)
        {
            _needles.Add((what, bytes));
            return this;
        }

        /// <summary>"file: what" for every needle found in any file under <paramref name="root"/> but the skipped sub-folder.</summary>
        public IReadOnlyList<string> InFolder(string root, string skipFolder)
        {
            var skipped = Path.GetFullPath(Path.Combine(root, skipFolder)) + Path.DirectorySeparatorChar;
            var found = new List<string>();
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                if (Path.GetFullPath(file).StartsWith(skipped, StringComparison.Ordinal))
                    continue;
                var bytes = ReadShared(file);
                found.AddRange(_needles.Where(n => bytes.AsSpan().IndexOf(n.Bytes) >= 0)
                    .Select(n => $"{Path.GetRelativePath(root, file)}: {n.What}").Distinct());
            }
            return found;
        }

        /// <summary>"where: what" for every needle found in any of the rows (as UTF-8).</summary>
        public IReadOnlyList<string> InRows(string where, IEnumerable<string> rows)
        {
            var all = rows.Select(Encoding.UTF8.GetBytes).ToList();
            return _needles.Where(n => all.Any(row => row.AsSpan().IndexOf(n.Bytes) >= 0)).Select(n => $"{where}: {n.What}").Distinct().ToList();
        }

        /// <summary>Reads a file the app's SQLite connections may hold open.</summary>
        private static byte[] ReadShared(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            }
            catch (FileNotFoundException)
            {
                return []; // gone between listing and reading: it holds nothing any more
            }
            catch (DirectoryNotFoundException)
            {
                return [];
            }
        }
    }
}
