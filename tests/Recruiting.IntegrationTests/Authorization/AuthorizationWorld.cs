using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Applications;
using Recruiting.Core.Identity;
using Recruiting.Core.Postings;
using Recruiting.Core.Review;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Portal;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Authorization;

/// <summary>The six points of view the authorization matrix is walked from.</summary>
public enum Role { Anonymous, JobseekerA, JobseekerB, RecruiterX, RecruiterY, Hr }

/// <summary>
/// One portal with just enough data that every route has something real to point at: postings X and Y, a recruiter
/// assigned to each, jobseeker A who applied to X and jobseeker B who applied to Y, a note by X's recruiter on A's
/// application, and a signed-in browser for each <see cref="Role"/>. Entities the walk changes are separate
/// throwaways, so a successful POST cannot change what a later row sees.
/// </summary>
public sealed class AuthorizationWorld : IAsyncLifetime
{
    private const string JobseekerPassword = "correct horse battery staple";
    private const string StaffPassword = "recruiter-password-long-enough";

    private readonly Dictionary<Role, PortalBrowser> _browsers = new();
    private readonly Dictionary<Role, string> _tokens = new();
    private readonly Dictionary<Role, string> _emails = new()
    {
        [Role.JobseekerA] = "jobseeker-a@example.test",
        [Role.JobseekerB] = "jobseeker-b@example.test",
        [Role.RecruiterX] = "recruiter-x@portal.test",
        [Role.RecruiterY] = "recruiter-y@portal.test",
        [Role.Hr] = PortalFactory.HrEmail,
    };

    public PortalFactory Portal { get; } = new();

    public Guid PostingX { get; private set; }
    public Guid PostingY { get; private set; }

    /// <summary>Assigned to X's recruiter; the walk closes it (closing X would end the apply rows).</summary>
    public Guid PostingToClose { get; private set; }

    public Guid RecruiterX { get; private set; }
    public Guid RecruiterY { get; private set; }

    public Guid ApplicationOfA { get; private set; }
    public Guid CvOfA { get; private set; }
    public Guid ApplicationOfB { get; private set; }
    public Guid CvOfB { get; private set; }

    /// <summary>A third jobseeker's application to X: the walk moves its status.</summary>
    public Guid ThrowawayApplicationOnX { get; private set; }

    /// <summary>A's second application (to another posting): the walk withdraws it.</summary>
    public Guid ThrowawayApplicationOfA { get; private set; }

    /// <summary>X's recruiter's note on A's application: the walk edits it.</summary>
    public Guid NoteOfRecruiterX { get; private set; }

    /// <summary>Another note of theirs on A's application: the walk deletes it.</summary>
    public Guid ThrowawayNoteOfRecruiterX { get; private set; }

    /// <summary>Staff accounts for HR's role change and (de)activation, so no role account is ever touched.</summary>
    public Guid ThrowawayStaffForRole { get; private set; }
    public Guid ThrowawayStaffForActivation { get; private set; }

    public async Task InitializeAsync()
    {
        PostingX = await Portal.CreatePostingAsync("Posting X");
        PostingY = await Portal.CreatePostingAsync("Posting Y");
        PostingToClose = await Portal.CreatePostingAsync("Posting to close");
        var postingToWithdrawFrom = await Portal.CreatePostingAsync("Posting W");

        RecruiterX = await CreateStaffAsync(_emails[Role.RecruiterX]);
        RecruiterY = await CreateStaffAsync(_emails[Role.RecruiterY]);
        ThrowawayStaffForRole = await CreateStaffAsync("throwaway-role@portal.test");
        ThrowawayStaffForActivation = await CreateStaffAsync("throwaway-active@portal.test");
        await AssignAsync(PostingX, RecruiterX);
        await AssignAsync(PostingToClose, RecruiterX);
        await AssignAsync(PostingY, RecruiterY);

        _browsers[Role.Anonymous] = new PortalBrowser(Portal.CreateBrowserClient());
        _browsers[Role.JobseekerA] = await ApplyAsNewJobseekerAsync(PostingX, _emails[Role.JobseekerA]);
        _browsers[Role.JobseekerB] = await ApplyAsNewJobseekerAsync(PostingY, _emails[Role.JobseekerB]);
        await ApplyAsNewJobseekerAsync(PostingX, "jobseeker-c@example.test");
        await ApplyAsync(_browsers[Role.JobseekerA], postingToWithdrawFrom, _emails[Role.JobseekerA], password: null);
        foreach (var role in new[] { Role.RecruiterX, Role.RecruiterY, Role.Hr })
            _browsers[role] = await SignInAsync(role);

        (ApplicationOfA, CvOfA) = await ApplicationAsync(_emails[Role.JobseekerA], PostingX);
        (ApplicationOfB, CvOfB) = await ApplicationAsync(_emails[Role.JobseekerB], PostingY);
        (ThrowawayApplicationOnX, _) = await ApplicationAsync("jobseeker-c@example.test", PostingX);
        (ThrowawayApplicationOfA, _) = await ApplicationAsync(_emails[Role.JobseekerA], postingToWithdrawFrom);

        NoteOfRecruiterX = await WriteNoteAsync(ApplicationOfA, RecruiterX, "Strong portfolio.");
        ThrowawayNoteOfRecruiterX = await WriteNoteAsync(ApplicationOfA, RecruiterX, "To be deleted.");

        await AddRequestDeskAsync();

        foreach (var (role, browser) in _browsers)
            _tokens[role] = await AntiforgeryTokenAsync(browser);

        // My data: a valid one-click opt-out token of A, as a talent-pool mail carries it.
        var applicantA = await Portal.WithDbAsync(db => db.Applications.Where(a => a.Id == ApplicationOfA).Select(a => a.ApplicantId).SingleAsync());
        OptOutTokenOfA = Portal.Services.GetRequiredService<Recruiting.Core.Rights.OptOutLinks>().CreateToken(applicantA);
        // A talent-pool renewal token for A's application, as a warning mail carries it (A has no consent: nothing renews).
        RenewalTokenOfA = Portal.Services.GetRequiredService<Recruiting.Core.Consent.ConsentRenewalLinks>()
            .CreateToken(ApplicationOfA, DateTimeOffset.UtcNow.AddDays(30));

        // Download my data: a finished export for each jobseeker.
        ExportOfA = await ExportAsync(_emails[Role.JobseekerA]);
        ExportOfB = await ExportAsync(_emails[Role.JobseekerB]);

        ThrowawayHold = await AddHoldAsync();
    }

    // ── Legal holds ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>An active hold on the throwaway application on X: the walk lifts it.</summary>
    public Guid ThrowawayHold { get; private set; }

    private Task<Guid> AddHoldAsync() =>
        Portal.WithDbAsync(async db =>
        {
            var hr = await db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync();
            var hold = Recruiting.Core.Retention.LegalHold.OnApplication(ThrowawayApplicationOnX, "Walk hold", hr, DateTimeOffset.UtcNow);
            db.LegalHolds.Add(hold);
            await db.SaveChangesAsync();
            return hold.Id;
        });

    // ── HR request desk ──────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>A's question: HR opens it.</summary>
    public Guid RequestOfA { get; private set; }

    /// <summary>A's questions the walk extends and answers.</summary>
    public Guid ThrowawayRequestToExtend { get; private set; }
    public Guid ThrowawayRequestToAnswer { get; private set; }

    /// <summary>A's restriction of an application of their own to a separate posting: the walk lifts it.</summary>
    public Guid ThrowawayRestrictionRequest { get; private set; }

    private async Task AddRequestDeskAsync()
    {
        var postingToRestrict = await Portal.CreatePostingAsync("Posting R");
        await ApplyAsync(_browsers[Role.JobseekerA], postingToRestrict, _emails[Role.JobseekerA], password: null);
        var (restricted, _) = await ApplicationAsync(_emails[Role.JobseekerA], postingToRestrict);

        await using var scope = Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Recruiting.Core.Data.RecruitingDbContext>();
        var rights = scope.ServiceProvider.GetRequiredService<Recruiting.Core.Rights.RightsRequests>();
        var a = await db.Applicants.SingleAsync(x => x.Email == _emails[Role.JobseekerA]);
        RequestOfA = (await rights.FileAsync(a, Recruiting.Core.Rights.RequestType.Question, CancellationToken.None, details: "Walk question")).Id;
        ThrowawayRequestToExtend = (await rights.FileAsync(a, Recruiting.Core.Rights.RequestType.Question, CancellationToken.None, details: "Extend me")).Id;
        ThrowawayRequestToAnswer = (await rights.FileAsync(a, Recruiting.Core.Rights.RequestType.Question, CancellationToken.None, details: "Answer me")).Id;
        ThrowawayRestrictionRequest = (await rights.FileAsync(a, Recruiting.Core.Rights.RequestType.Restriction, CancellationToken.None,
            applicationId: restricted, details: "Restrict me")).Id;
        (await db.Applications.SingleAsync(x => x.Id == restricted)).Restrict();
        await db.SaveChangesAsync();
    }

    /// <summary>A's opt-out link token (My data): the walk withdraws consents A does not have, so nothing changes.</summary>
    public string OptOutTokenOfA { get; private set; } = "";

    /// <summary>A's talent-pool renewal link token; A gave no consent, so the walk renews nothing.</summary>
    public string RenewalTokenOfA { get; private set; } = "";

    /// <summary>Completed access requests ("Download my data") of A and of B.</summary>
    public Guid ExportOfA { get; private set; }
    public Guid ExportOfB { get; private set; }

    public Task DisposeAsync()
    {
        Portal.Dispose();
        return Task.CompletedTask;
    }

    public PortalBrowser Browser(Role role) => _browsers[role];

    /// <summary>The URL with the world's ids replaced by what they are, for failure messages.</summary>
    public string Readable(string url)
    {
        foreach (var (id, name) in Names())
            url = url.Replace(id.ToString(), "{" + name + "}", StringComparison.OrdinalIgnoreCase);
        return url;
    }

    private IEnumerable<(Guid, string)> Names() =>
    [
        (PostingX, "posting X"), (PostingY, "posting Y"), (PostingToClose, "posting to close"),
        (RecruiterX, "recruiter of X"), (RecruiterY, "recruiter of Y"),
        (ApplicationOfA, "A's application"), (CvOfA, "A's CV"), (ApplicationOfB, "B's application"), (CvOfB, "B's CV"),
        (ThrowawayApplicationOnX, "throwaway application on X"), (ThrowawayApplicationOfA, "A's throwaway application"),
        (NoteOfRecruiterX, "note of X's recruiter"), (ThrowawayNoteOfRecruiterX, "throwaway note of X's recruiter"),
        (ThrowawayStaffForRole, "throwaway staff"), (ThrowawayStaffForActivation, "throwaway staff"),
        (RequestOfA, "A's request"), (ThrowawayRequestToExtend, "request to extend"), (ThrowawayRequestToAnswer, "request to answer"),
        (ThrowawayRestrictionRequest, "restriction request"),
        (ExportOfA, "A's export"), (ExportOfB, "B's export"),
        (ThrowawayHold, "throwaway hold"),
    ];

    /// <summary>A token valid for this role's browser: antiforgery tokens are bound to the signed-in user.</summary>
    public string Token(Role role) => _tokens[role];

    /// <summary>A second, separate session for the role, for requests that end the session they are sent in.</summary>
    public async Task<(PortalBrowser Browser, string Token)> FreshSessionAsync(Role role)
    {
        var browser = role == Role.Anonymous ? new PortalBrowser(Portal.CreateBrowserClient()) : await SignInAsync(role);
        return (browser, await AntiforgeryTokenAsync(browser));
    }

    /// <summary>Signs the role's browser in again after a session-ending request: signing out ends every session of
    /// the account, the role's main one too.</summary>
    public async Task RenewSessionAsync(Role role)
    {
        if (role == Role.Anonymous)
            return;
        _browsers[role] = await SignInAsync(role);
        _tokens[role] = await AntiforgeryTokenAsync(_browsers[role]);
    }

    private async Task<PortalBrowser> SignInAsync(Role role)
    {
        var browser = new PortalBrowser(Portal.CreateBrowserClient());
        var password = role switch
        {
            Role.Hr => Portal.HrPassword,
            Role.RecruiterX or Role.RecruiterY => StaffPassword,
            _ => JobseekerPassword,
        };
        await browser.SignInAsync(_emails[role], password);
        return browser;
    }

    private static async Task<string> AntiforgeryTokenAsync(PortalBrowser browser) =>
        PortalBrowser.AntiforgeryToken(await browser.GetPageAsync("/account/login"), "/account/login");

    private async Task<Guid> CreateStaffAsync(string email)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        AssertSucceeded(await users.CreateAsync(user, StaffPassword), email);
        AssertSucceeded(await users.AddToRoleAsync(user, Roles.Recruiter), email);
        return user.Id;
    }

    private static void AssertSucceeded(IdentityResult result, string email) =>
        Assert.True(result.Succeeded, $"Creating {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");

    private async Task AssignAsync(Guid postingId, Guid recruiterId)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PostingDesk>().AssignAsync(postingId, [recruiterId], CancellationToken.None);
    }

    private async Task<PortalBrowser> ApplyAsNewJobseekerAsync(Guid postingId, string email)
    {
        var browser = new PortalBrowser(Portal.CreateBrowserClient());
        await ApplyAsync(browser, postingId, email, JobseekerPassword);
        HttpAssert.Redirect("/my/applications", await Portal.FollowConfirmationLinkAsync(browser, email, JobseekerPassword));
        return browser;
    }

    private static async Task ApplyAsync(PortalBrowser browser, Guid postingId, string email, string? password)
    {
        var url = $"/postings/{postingId}/apply";
        var response = await browser.SubmitAsync(url, url, ApplyTests.Fields(email, password),
            [new FormFile("Cv", "cv.pdf", SampleFiles.Pdf(), "application/pdf")]);
        HttpAssert.Status(HttpStatusCode.Redirect, response);
    }

    private Task<(Guid Application, Guid Cv)> ApplicationAsync(string email, Guid postingId) =>
        Portal.WithDbAsync(async db =>
        {
            var application = await db.Applications.Include(a => a.Documents)
                .SingleAsync(a => a.Applicant.Email == email && a.JobPostingId == postingId);
            return (application.Id, application.Documents.Single(d => d.Kind == DocumentKind.Cv).Id);
        });

    private Task<Guid> WriteNoteAsync(Guid applicationId, Guid authorId, string text) =>
        Portal.WithDbAsync(async db =>
        {
            var note = RecruiterNote.Write(applicationId, authorId, text, DateTimeOffset.UtcNow);
            db.Notes.Add(note);
            await db.SaveChangesAsync();
            return note.Id;
        });

    /// <summary>Files an access request as the jobseeker would and waits for its ZIP.</summary>
    private async Task<Guid> ExportAsync(string email)
    {
        Guid requestId;
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Recruiting.Core.Data.RecruitingDbContext>();
            var applicant = await db.Applicants.SingleAsync(a => a.Email == email);
            requestId = (await scope.ServiceProvider.GetRequiredService<Recruiting.Core.Rights.RightsRequests>()
                .FileAsync(applicant, Recruiting.Core.Rights.RequestType.Access, CancellationToken.None)).Id;
        }
        await Wait.UntilAsync(async () => await Portal.WithDbAsync(db => db.Requests.AnyAsync(r =>
            r.Id == requestId && r.Status == Recruiting.Core.Rights.RequestStatus.Completed)), "the export of " + email);
        return requestId;
    }
}
