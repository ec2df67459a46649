using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Identity;
using Recruiting.IntegrationTests.Portal;
using static Recruiting.IntegrationTests.Authorization.Outcome;

namespace Recruiting.IntegrationTests.Authorization;

/// <summary>What a role gets from a request, as far as authorization is concerned.</summary>
public enum Outcome
{
    /// <summary>2xx, or a redirect anywhere but the sign-in page: the request was let through.</summary>
    OK,
    /// <summary>302 to /account/login: not signed in.</summary>
    Login,
    /// <summary>403: signed in, but the role may not use this route.</summary>
    Forbidden,
    /// <summary>404: the role may use the route, but the data is not theirs (answered as if it did not exist).</summary>
    NotFound,
    BadRequest,
    ServerError,
    /// <summary>Any other status; the table never expects it.</summary>
    Other,
}

/// <summary>
/// Walks every endpoint of the app's route table for each <see cref="Role"/> and compares the answer with
/// <see cref="Table"/>. A new action without a row fails the test, and so does a row whose route is gone.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationWorld world) : IClassFixture<AuthorizationWorld>
{
    /// <summary>
    /// Who may do what. Keys are "METHOD /route template" exactly as the route table has them ("ANY" where the route
    /// takes every method; it is tried with GET). Each row holds one or more probes: a concrete URL built from the
    /// world's ids, and the outcome for each role, always in this column order:
    /// <code>Expect(anonymous, jobseeker A, jobseeker B, recruiter of X, recruiter of Y, HR)</code>
    /// Where a route takes an id, probes try both sides of the fence: something the role owns and something it
    /// does not. POSTs carry a valid antiforgery token of the role's session unless a probe says otherwise.
    /// </summary>
    private static Dictionary<string, Probe[]> Table(AuthorizationWorld w) => new()
    {
        // ── Public pages: the same for everyone ─────────────────────────────────────────────────────────────────
        ["GET /"] = [Get("/").Expect(OK, OK, OK, OK, OK, OK)],
        ["GET /privacy"] = [Get("/privacy").Expect(OK, OK, OK, OK, OK, OK)],
        // Archived notice texts are as public as the notice; a version never shown is 404 for everyone.
        ["GET /privacy/notices/{version:length(64)}"] =
            [Get($"/privacy/notices/{new string('0', 64)}").Expect(NotFound, NotFound, NotFound, NotFound, NotFound, NotFound)],
        ["GET /postings"] = [Get("/postings").Expect(OK, OK, OK, OK, OK, OK)],
        ["GET /postings/{id:guid}"] = [Get($"/postings/{w.PostingX}").Expect(OK, OK, OK, OK, OK, OK)],
        // Where failed requests are re-executed; asked for directly it renders "something went wrong" with a 500.
        ["ANY /error"] = [Get("/error").Expect(ServerError, ServerError, ServerError, ServerError, ServerError, ServerError)],
        // Where 403/404 answers are re-executed to get a page; asked for directly it is just that page.
        ["ANY /status/{code:int}"] = [Get("/status/404").Expect(OK, OK, OK, OK, OK, OK)],
        // For the load balancer: statuses only, no configuration or personal data.
        ["ANY /health"] = [Get("/health").Expect(OK, OK, OK, OK, OK, OK)],

        // ── Accounts: open to all. Forms carry wrong values on purpose: the walk must not change who is signed in ─
        ["GET /account/login"] = [Get("/account/login").Expect(OK, OK, OK, OK, OK, OK)],
        ["POST /account/login"] =
        [
            Post("/account/login", new() { ["Email"] = "nobody@example.test", ["Password"] = "not the password at all" })
                .Expect(OK, OK, OK, OK, OK, OK),
        ],
        ["POST /account/logout"] = [Post("/account/logout").InFreshSession().Expect(OK, OK, OK, OK, OK, OK)],
        ["GET /account/set-password"] =
            [Get($"/account/set-password?userId={Guid.NewGuid()}&code=bogus").Expect(OK, OK, OK, OK, OK, OK)],
        ["POST /account/set-password"] =
        [
            Post("/account/set-password", new() { ["UserId"] = Guid.NewGuid().ToString(), ["Code"] = "bogus", ["Password"] = "long enough password" })
                .Expect(OK, OK, OK, OK, OK, OK),
        ],
        // Forgot password: open to all, the same answer for any address; nobody's address gets a mail here.
        ["GET /account/forgot-password"] = [Get("/account/forgot-password").Expect(OK, OK, OK, OK, OK, OK)],
        ["POST /account/forgot-password"] =
            [Post("/account/forgot-password", new() { ["Email"] = "nobody@example.test" }).Expect(OK, OK, OK, OK, OK, OK)],
        // Change password: any signed-in account, its own only. The walk's form is incomplete, so it comes
        // back before any password is checked (no lockout count) and nothing changes.
        ["GET /account/password"] = [Get("/account/password").Expect(Login, OK, OK, OK, OK, OK)],
        ["POST /account/password"] =
        [
            Post("/account/password", new() { ["CurrentPassword"] = "", ["NewPassword"] = "" }).Expect(Login, OK, OK, OK, OK, OK),
            Post("/account/password", new() { ["CurrentPassword"] = "", ["NewPassword"] = "" }).WithoutAntiforgeryToken()
                .Expect(Login, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest),
        ],
        ["GET /account/confirm-email"] =
            [Get($"/account/confirm-email?userId={Guid.NewGuid()}&code=bogus").Expect(OK, OK, OK, OK, OK, OK)],
        // Anyone holding a link may press its button; a wrong link only shows "this link does not work".
        ["POST /account/confirm-email"] =
        [
            Post("/account/confirm-email", new() { ["UserId"] = Guid.NewGuid().ToString(), ["Code"] = "bogus" }).Expect(OK, OK, OK, OK, OK, OK),
            Post("/account/confirm-email", new() { ["UserId"] = Guid.NewGuid().ToString(), ["Code"] = "bogus" }).WithoutAntiforgeryToken()
                .Expect(BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest),
        ],
        // The link mailed to a new address: anyone holding one may press its button; a wrong link changes nothing.
        ["GET /account/email/confirm"] =
            [Get($"/account/email/confirm?userId={Guid.NewGuid()}&code=bogus").Expect(OK, OK, OK, OK, OK, OK)],
        ["POST /account/email/confirm"] =
        [
            Post("/account/email/confirm", new() { ["UserId"] = Guid.NewGuid().ToString(), ["Code"] = "bogus" }).Expect(OK, OK, OK, OK, OK, OK),
            Post("/account/email/confirm", new() { ["UserId"] = Guid.NewGuid().ToString(), ["Code"] = "bogus" }).WithoutAntiforgeryToken()
                .Expect(BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest),
        ],

        // ── Applying: visitors and jobseekers; staff see a "staff cannot apply" page and may not post ──────────────
        ["GET /postings/{id:guid}/apply"] = [Get($"/postings/{w.PostingX}/apply").Expect(OK, OK, OK, OK, OK, OK)],
        // Without a CV an allowed post only shows the form again: a visitor's complete application would create an
        // account.
        ["POST /postings/{id:guid}/apply"] =
            [Post($"/postings/{w.PostingX}/apply", ApplicationWithoutCv()).Expect(OK, OK, OK, Forbidden, Forbidden, Forbidden)],
        // The visitor's "check your mailbox" page names only the posting.
        ["GET /postings/{id:guid}/apply/sent"] =
        [
            Get($"/postings/{w.PostingX}/apply/sent").Expect(OK, OK, OK, OK, OK, OK),
            Get($"/postings/{Guid.NewGuid()}/apply/sent").Expect(NotFound, NotFound, NotFound, NotFound, NotFound, NotFound),
        ],
        ["GET /applications/{id:guid}/submitted"] =
        [
            Get($"/applications/{w.ApplicationOfA}/submitted").Expect(Login, OK, NotFound, Forbidden, Forbidden, Forbidden),
            Get($"/applications/{w.ApplicationOfB}/submitted").Expect(Login, NotFound, OK, Forbidden, Forbidden, Forbidden),
        ],

        // ── A jobseeker's own applications: only their own; staff use the candidate pages instead ─────────────────
        ["GET /my/applications"] = [Get("/my/applications").Expect(Login, OK, OK, Forbidden, Forbidden, Forbidden)],
        ["POST /my/applications/{id:guid}/withdraw"] =
            [Post($"/my/applications/{w.ThrowawayApplicationOfA}/withdraw").Expect(Login, OK, NotFound, Forbidden, Forbidden, Forbidden)],
        ["GET /my/documents/{id:guid}"] =
        [
            Get($"/my/documents/{w.CvOfA}").Expect(Login, OK, NotFound, Forbidden, Forbidden, Forbidden),
            Get($"/my/documents/{w.CvOfB}").Expect(Login, NotFound, OK, Forbidden, Forbidden, Forbidden),
        ],

        // ── My data (overview, rectification, restriction, objection, consent): jobseekers, their own only.
        // The forms carry values every rule refuses (or that change nothing), so the walk never changes what others see.
        ["GET /my/data"] = [Get("/my/data").Expect(Login, OK, OK, Forbidden, Forbidden, Forbidden)],
        ["POST /my/data/access"] = [Post("/my/data/access").Expect(Login, OK, OK, Forbidden, Forbidden, Forbidden)],
        ["GET /my/data/profile"] = [Get("/my/data/profile").Expect(Login, OK, OK, Forbidden, Forbidden, Forbidden)],
        // An empty name fails validation: the form comes back and nobody's details change.
        ["POST /my/data/profile"] =
            [Post("/my/data/profile", new() { ["FullName"] = "" }).Expect(Login, OK, OK, Forbidden, Forbidden, Forbidden)],
        // Changing the address: the account's own only. Without a new address the form comes back before any
        // password is checked (no lockout count) and nothing is mailed.
        ["GET /my/data/email"] = [Get("/my/data/email").Expect(Login, OK, OK, Forbidden, Forbidden, Forbidden)],
        ["POST /my/data/email"] =
            [Post("/my/data/email", new() { ["NewEmail"] = "", ["CurrentPassword"] = "" }).Expect(Login, OK, OK, Forbidden, Forbidden, Forbidden)],
        // No file: refused with a message after the ownership check.
        ["POST /my/applications/{id:guid}/cv"] =
        [
            Post($"/my/applications/{w.ApplicationOfA}/cv").Expect(Login, OK, NotFound, Forbidden, Forbidden, Forbidden),
            Post($"/my/applications/{w.ApplicationOfB}/cv").Expect(Login, NotFound, OK, Forbidden, Forbidden, Forbidden),
        ],
        // "Another reason" without one is refused after the ownership check: A's application stays visible to X.
        ["POST /my/applications/{id:guid}/restrict"] =
        [
            Post($"/my/applications/{w.ApplicationOfA}/restrict", new() { ["Ground"] = "Other", ["Reason"] = "" })
                .Expect(Login, OK, NotFound, Forbidden, Forbidden, Forbidden),
        ],
        ["POST /my/applications/{id:guid}/object"] =
        [
            Post($"/my/applications/{w.ApplicationOfA}/object", new() { ["Reason"] = "" })
                .Expect(Login, OK, NotFound, Forbidden, Forbidden, Forbidden),
        ],
        ["POST /my/applications/{id:guid}/talent-pool"] =
            [Post($"/my/applications/{w.ApplicationOfA}/talent-pool").Expect(Login, OK, NotFound, Forbidden, Forbidden, Forbidden)],
        ["POST /my/applications/{id:guid}/talent-pool/withdraw"] =
            [Post($"/my/applications/{w.ApplicationOfA}/talent-pool/withdraw").Expect(Login, OK, NotFound, Forbidden, Forbidden, Forbidden)],
        // The opt-out link works without signing in, for whoever holds it; a bad token gets the "link does not work" page.
        ["GET /consent/opt-out"] =
        [
            Get($"/consent/opt-out?token={Uri.EscapeDataString(w.OptOutTokenOfA)}").Expect(OK, OK, OK, OK, OK, OK),
            Get("/consent/opt-out?token=bogus").Expect(OK, OK, OK, OK, OK, OK),
        ],
        ["POST /consent/opt-out"] =
        [
            Post("/consent/opt-out", new() { ["Token"] = w.OptOutTokenOfA }).Expect(OK, OK, OK, OK, OK, OK),
            Post("/consent/opt-out", new() { ["Token"] = "bogus" }).Expect(OK, OK, OK, OK, OK, OK),
            Post("/consent/opt-out", new() { ["Token"] = w.OptOutTokenOfA }).WithoutAntiforgeryToken()
                .Expect(BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest),
        ],
        ["GET /consent/opted-out"] = [Get("/consent/opted-out").Expect(OK, OK, OK, OK, OK, OK)],
        // The renewal link, like the opt-out's, works for whoever holds it; a bad token gets the "link does not work" page.
        ["GET /consent/renew"] =
        [
            Get($"/consent/renew?token={Uri.EscapeDataString(w.RenewalTokenOfA)}").Expect(OK, OK, OK, OK, OK, OK),
            Get("/consent/renew?token=bogus").Expect(OK, OK, OK, OK, OK, OK),
        ],
        ["POST /consent/renew"] =
        [
            Post("/consent/renew", new() { ["Token"] = w.RenewalTokenOfA }).Expect(OK, OK, OK, OK, OK, OK),
            Post("/consent/renew", new() { ["Token"] = "bogus" }).Expect(OK, OK, OK, OK, OK, OK),
            Post("/consent/renew", new() { ["Token"] = w.RenewalTokenOfA }).WithoutAntiforgeryToken()
                .Expect(BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest),
        ],
        ["GET /consent/renewed"] = [Get("/consent/renewed").Expect(OK, OK, OK, OK, OK, OK)],

        // ── Download my data (access export): only the owner, signed in; anyone else's id does not exist ──
        ["GET /my/data/exports/{requestId:guid}"] =
        [
            Get($"/my/data/exports/{w.ExportOfA}").Expect(Login, OK, NotFound, Forbidden, Forbidden, Forbidden),
            Get($"/my/data/exports/{w.ExportOfB}").Expect(Login, NotFound, OK, Forbidden, Forbidden, Forbidden),
        ],

        // ── Postings as staff manage them: HR all, a recruiter only the postings assigned to them ─────────────────
        ["GET /manage/postings"] = [Get("/manage/postings").Expect(Login, Forbidden, Forbidden, OK, OK, OK)],
        ["GET /manage/postings/new"] = [Get("/manage/postings/new").Expect(Login, Forbidden, Forbidden, OK, OK, OK)],
        // Creates a draft (a recruiter's own draft is assigned to them); nothing else in the walk looks at it.
        ["POST /manage/postings/new"] =
            [Post("/manage/postings/new", PostingForm("Draft from the walk")).Expect(Login, Forbidden, Forbidden, OK, OK, OK)],
        ["GET /manage/postings/{id:guid}/edit"] =
        [
            Get($"/manage/postings/{w.PostingX}/edit").Expect(Login, Forbidden, Forbidden, OK, NotFound, OK),
            Get($"/manage/postings/{w.PostingY}/edit").Expect(Login, Forbidden, Forbidden, NotFound, OK, OK),
        ],
        // Saves X's own values back, so X stays as the other rows expect it.
        ["POST /manage/postings/{id:guid}/edit"] =
            [Post($"/manage/postings/{w.PostingX}/edit", PostingForm("Posting X")).Expect(Login, Forbidden, Forbidden, OK, NotFound, OK)],
        // X is open already: opening it again changes nothing.
        ["POST /manage/postings/{id:guid}/open"] =
            [Post($"/manage/postings/{w.PostingX}/open").Expect(Login, Forbidden, Forbidden, OK, NotFound, OK)],
        ["POST /manage/postings/{id:guid}/close"] =
            [Post($"/manage/postings/{w.PostingToClose}/close").Expect(Login, Forbidden, Forbidden, OK, NotFound, OK)],
        // Assigning recruiters is HR's alone, even for a posting the recruiter handles.
        ["GET /manage/postings/{id:guid}/recruiters"] =
            [Get($"/manage/postings/{w.PostingX}/recruiters").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],
        // Names X's recruiter again: HR's successful post must leave X assigned as it was.
        ["POST /manage/postings/{id:guid}/recruiters"] =
        [
            Post($"/manage/postings/{w.PostingX}/recruiters", new() { ["recruiterIds"] = w.RecruiterX.ToString() })
                .Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
        ],

        // ── Candidates: staff only, and a recruiter only on their postings; anything else does not exist ───────────
        ["GET /manage/postings/{postingId:guid}/candidates"] =
        [
            Get($"/manage/postings/{w.PostingX}/candidates").Expect(Login, Forbidden, Forbidden, OK, NotFound, OK),
            Get($"/manage/postings/{w.PostingY}/candidates").Expect(Login, Forbidden, Forbidden, NotFound, OK, OK),
        ],
        ["GET /candidates/{id:guid}"] =
        [
            Get($"/candidates/{w.ApplicationOfA}").Expect(Login, Forbidden, Forbidden, OK, NotFound, OK),
            Get($"/candidates/{w.ApplicationOfB}").Expect(Login, Forbidden, Forbidden, NotFound, OK, OK),
        ],
        ["GET /candidates/{id:guid}/documents/{documentId:guid}"] =
        [
            Get($"/candidates/{w.ApplicationOfA}/documents/{w.CvOfA}").Expect(Login, Forbidden, Forbidden, OK, NotFound, OK),
            Get($"/candidates/{w.ApplicationOfB}/documents/{w.CvOfB}").Expect(Login, Forbidden, Forbidden, NotFound, OK, OK),
            // A document is found only through its own application, even when both applications are on X.
            Get($"/candidates/{w.ThrowawayApplicationOnX}/documents/{w.CvOfA}").Expect(Login, Forbidden, Forbidden, NotFound, NotFound, NotFound),
        ],
        // The second success (HR, after X's recruiter) is refused by the pipeline rules, Screening to Screening, but
        // still lands on the candidate page: authorization let it through.
        ["POST /candidates/{id:guid}/status"] =
        [
            Post($"/candidates/{w.ThrowawayApplicationOnX}/status", new() { ["status"] = "Screening" })
                .Expect(Login, Forbidden, Forbidden, OK, NotFound, OK),
        ],
        ["POST /candidates/{id:guid}/notes"] =
        [
            Post($"/candidates/{w.ApplicationOfA}/notes", new() { ["Text"] = "Note from the walk." })
                .Expect(Login, Forbidden, Forbidden, OK, NotFound, OK),
            // Antiforgery is checked before the data: a cross-site post by staff is refused whoever's application it
            // names. The role check comes first, so jobseekers still get their 403 page.
            Post($"/candidates/{w.ApplicationOfA}/notes", new() { ["Text"] = "Forged." }).WithoutAntiforgeryToken()
                .Expect(Login, Forbidden, Forbidden, BadRequest, BadRequest, BadRequest),
        ],
        // A note is its author's: for anyone else, HR included, it does not exist.
        ["POST /candidates/{id:guid}/notes/{noteId:guid}/edit"] =
        [
            Post($"/candidates/{w.ApplicationOfA}/notes/{w.NoteOfRecruiterX}/edit", new() { ["Text"] = "Strong portfolio, edited." })
                .Expect(Login, Forbidden, Forbidden, OK, NotFound, NotFound),
            // A note is found only through its own application, even when both applications are on X.
            Post($"/candidates/{w.ThrowawayApplicationOnX}/notes/{w.NoteOfRecruiterX}/edit", new() { ["Text"] = "Moved?" })
                .Expect(Login, Forbidden, Forbidden, NotFound, NotFound, NotFound),
        ],
        ["POST /candidates/{id:guid}/notes/{noteId:guid}/delete"] =
        [
            Post($"/candidates/{w.ApplicationOfA}/notes/{w.ThrowawayNoteOfRecruiterX}/delete")
                .Expect(Login, Forbidden, Forbidden, OK, NotFound, NotFound),
        ],

        // ── User administration and background jobs: HR only ───────────────────────────────────────────────────
        ["GET /admin/users"] = [Get("/admin/users").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],
        ["POST /admin/users/invite"] =
        [
            Post("/admin/users/invite", new() { ["Email"] = "invited@portal.test", ["Role"] = Roles.Recruiter })
                .Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
        ],
        ["POST /admin/users/{id:guid}/role"] =
        [
            Post($"/admin/users/{w.ThrowawayStaffForRole}/role", new() { ["role"] = Roles.Recruiter })
                .Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
        ],
        ["POST /admin/users/{id:guid}/deactivate"] =
            [Post($"/admin/users/{w.ThrowawayStaffForActivation}/deactivate").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],
        ["POST /admin/users/{id:guid}/activate"] =
            [Post($"/admin/users/{w.ThrowawayStaffForActivation}/activate").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],
        // Hangfire's dashboard is not an MVC action but is in the route table all the same.
        ["ANY /hangfire/{**path}"] = [Get("/hangfire").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],

        // ── HR request desk and audit log: HR only; a request that does not exist is 404 ─
        ["GET /manage/requests"] = [Get("/manage/requests?show=open").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],
        // Logging a request received outside the portal: HR only. The walk's address belongs to no applicant, so HR gets the form back.
        ["GET /manage/requests/log"] = [Get("/manage/requests/log").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],
        ["POST /manage/requests/log"] =
        [
            Post("/manage/requests/log", new()
            {
                ["ApplicantEmail"] = "nobody-from-the-walk@example.test", ["Type"] = "Access", ["Channel"] = "Phone",
                ["Received"] = DateTime.UtcNow.ToString("yyyy-MM-dd"), ["IdentityVerification"] = "Walk.",
            }).Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
        ],
        ["GET /manage/requests/{id:guid}"] =
        [
            Get($"/manage/requests/{w.RequestOfA}").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
            Get($"/manage/requests/{Guid.NewGuid()}").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, NotFound),
        ],
        ["POST /manage/requests/{id:guid}/extend"] =
        [
            Post($"/manage/requests/{w.ThrowawayRequestToExtend}/extend", ExtensionForm()).Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
            Post($"/manage/requests/{Guid.NewGuid()}/extend", ExtensionForm()).Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, NotFound),
        ],
        ["POST /manage/requests/{id:guid}/answer"] =
        [
            Post($"/manage/requests/{w.ThrowawayRequestToAnswer}/answer", new() { ["Outcome"] = "Complete", ["Answer"] = "Answer from the walk." })
                .Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
            Post($"/manage/requests/{Guid.NewGuid()}/answer", new() { ["Outcome"] = "Complete", ["Answer"] = "Nobody's." })
                .Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, NotFound),
        ],
        // HR's lift queues the mail that lifts the restriction of A's throwaway restricted application.
        ["POST /manage/requests/{id:guid}/lift-restriction"] =
        [
            Post($"/manage/requests/{w.ThrowawayRestrictionRequest}/lift-restriction").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
            Post($"/manage/requests/{Guid.NewGuid()}/lift-restriction").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, NotFound),
        ],
        ["GET /manage/audit"] = [Get($"/manage/audit?request={w.RequestOfA}").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],

        // ── Retention enforcement: HR only. "Run now" triggers the recurring job (nothing is due in the world) ─
        ["GET /manage/retention/runs"] = [Get("/manage/retention/runs").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],
        ["POST /manage/retention/runs/run"] = [Post("/manage/retention/runs/run").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],

        // The contact form: anyone may read it; only jobseekers file (the walk's are unconfirmed, so they get the form back).
        ["GET /privacy/contact"] = [Get("/privacy/contact").Expect(OK, OK, OK, OK, OK, OK)],
        ["POST /privacy/contact"] =
            [Post("/privacy/contact", new() { ["Message"] = "Question from the walk." }).Expect(Login, OK, OK, Forbidden, Forbidden, Forbidden)],
        // A visitor's access or erasure request: open to everyone, answered alike; it files nothing until its mailed link is
        // confirmed, and the walk's made-up link confirms nothing.
        ["POST /privacy/contact/request"] =
            [Post("/privacy/contact/request", new() { ["Email"] = "walk-visitor-request@example.test", ["Type"] = "Access" }).Expect(OK, OK, OK, OK, OK, OK)],
        ["GET /privacy/contact/request/sent"] = [Get("/privacy/contact/request/sent").Expect(OK, OK, OK, OK, OK, OK)],
        ["GET /privacy/contact/confirm/{id:guid}"] =
            [Get($"/privacy/contact/confirm/{Guid.NewGuid()}?token=walk").Expect(OK, OK, OK, OK, OK, OK)],
        ["POST /privacy/contact/confirm/{id:guid}"] =
            [Post($"/privacy/contact/confirm/{Guid.NewGuid()}", new() { ["token"] = "walk" }).Expect(OK, OK, OK, OK, OK, OK)],

        // ── Legal holds, housekeeping report, record of processing: HR only ────────────────────────────────────────────
        ["GET /manage/holds"] = [Get("/manage/holds").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],
        // Places holds on the throwaway application on X only; a hold changes nothing another row looks at.
        ["POST /manage/holds"] =
        [
            Post("/manage/holds", HoldForm(w.ThrowawayApplicationOnX)).Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
            Post("/manage/holds", HoldForm(Guid.NewGuid())).Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, NotFound),
        ],
        ["POST /manage/holds/{id:guid}/lift"] =
        [
            Post($"/manage/holds/{w.ThrowawayHold}/lift").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
            Post($"/manage/holds/{Guid.NewGuid()}/lift").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, NotFound),
        ],
        ["GET /manage/retention/missing-documents"] =
            [Get("/manage/retention/missing-documents").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],
        ["GET /manage/record-of-processing"] =
            [Get("/manage/record-of-processing").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],

        // ── Erasure, "Delete my data" (Art. 17): a jobseeker's own account only; staff accounts are not erased here ──
        ["GET /my/data/delete"] = [Get("/my/data/delete").Expect(Login, OK, OK, Forbidden, Forbidden, Forbidden)],
        // A and B have not confirmed their addresses, and the password is wrong anyway: the form comes back, nothing is filed.
        ["POST /my/data/delete"] =
            [Post("/my/data/delete", new() { ["Password"] = "not the password at all" }).Expect(Login, OK, OK, Forbidden, Forbidden, Forbidden)],
        // Shown after sign-out, so open to all; it names no one.
        ["GET /my/data/delete/requested"] = [Get("/my/data/delete/requested").Expect(OK, OK, OK, OK, OK, OK)],
        // Any signed-in account may ask for a new confirmation link for itself; confirmed ones get none.
        ["POST /account/confirm-email/resend"] = [Post("/account/confirm-email/resend").Expect(Login, OK, OK, OK, OK, OK)],

        // ── Retention policies: HR only; a posting that does not exist is 404 ───────────
        ["GET /manage/retention"] = [Get("/manage/retention").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK)],
        ["GET /manage/retention/edit"] =
        [
            Get("/manage/retention/edit").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
            Get($"/manage/retention/edit?postingId={w.PostingX}").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
            Get($"/manage/retention/edit?postingId={Guid.NewGuid()}").Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, NotFound),
        ],
        // Without Confirm the post only previews: HR's success saves nothing.
        ["POST /manage/retention/edit"] =
        [
            Post("/manage/retention/edit", RetentionForm(null)).Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, OK),
            Post("/manage/retention/edit", RetentionForm(Guid.NewGuid())).Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, NotFound),
            Post("/manage/retention/edit", RetentionForm(null)).WithoutAntiforgeryToken()
                .Expect(Login, Forbidden, Forbidden, Forbidden, Forbidden, BadRequest),
        ],
    };

    [Fact]
    public async Task Every_route_answers_every_role_as_the_table_says()
    {
        var routes = RouteTable(world.Portal.Services);
        var table = Table(world);
        var problems = new List<string>();
        problems.AddRange(routes.Except(table.Keys).Select(key => $"add an expected row for {key}"));
        problems.AddRange(table.Keys.Except(routes).Select(key => $"stale row {key}: the route table has no such route"));

        var requests = 0;
        foreach (var (key, probes) in table.Where(row => routes.Contains(row.Key)))
        {
            var method = key.Split(' ')[0] == "POST" ? HttpMethod.Post : HttpMethod.Get;
            foreach (var probe in probes)
            {
                if (probe.Expected.Count != Enum.GetValues<Role>().Length)
                {
                    problems.Add($"the row {key} for {probe.Url} does not say what every role gets");
                    continue;
                }
                // Refusals go first: a success that changes state must not make a later refusal pass for the wrong reason.
                foreach (var role in Enum.GetValues<Role>().OrderBy(role => probe.Expected[role] == OK))
                {
                    var response = await SendAsync(probe, method, role);
                    requests++;
                    var actual = Classify(response);
                    if (actual != probe.Expected[role])
                        problems.Add($"{role,-10} {method,-4} {world.Readable(probe.Url)}  "
                                     + $"expected {probe.Expected[role]}, got {actual} ({Describe(response)})");
                }
            }
        }

        Assert.True(requests > 0 && problems.Count == 0,
            $"{problems.Count} problem(s) in {requests} requests over {routes.Count} routes:\n" + string.Join("\n", problems));
    }

    /// <summary>Every endpoint the app routes to: MVC actions, and anything else mapped (Hangfire's dashboard).</summary>
    private static HashSet<string> RouteTable(IServiceProvider services)
    {
        var keys = new HashSet<string>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            foreach (var method in methods is { Count: > 0 } ? methods : ["ANY"])
                keys.Add($"{method} {template}");
        }
        return keys;
    }

    private async Task<HttpResponseMessage> SendAsync(Probe probe, HttpMethod method, Role role)
    {
        var (browser, token) = probe.FreshSession ? await world.FreshSessionAsync(role) : (world.Browser(role), world.Token(role));
        var response = method == HttpMethod.Get
            ? await browser.Client.GetAsync(probe.Url)
            : await browser.PostAsync(probe.Url, probe.SendsAntiforgeryToken ? token : null, probe.Form);
        if (probe.FreshSession)
            await world.RenewSessionAsync(role);
        return response;
    }

    private static Outcome Classify(HttpResponseMessage response) => (int)response.StatusCode switch
    {
        >= 300 and < 400 when IsSignInPage(response.Headers.Location) => Login,
        >= 200 and < 400 => OK,
        403 => Forbidden,
        404 => NotFound,
        400 => BadRequest,
        >= 500 => ServerError,
        _ => Other,
    };

    private static bool IsSignInPage(Uri? location) =>
        location is not null
        && (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString)
            .StartsWith("/account/login", StringComparison.OrdinalIgnoreCase);

    private static string Describe(HttpResponseMessage response) =>
        response.Headers.Location is { } location ? $"{(int)response.StatusCode} to {location.OriginalString}" : $"{(int)response.StatusCode}";

    private static Probe Get(string url) => new(url, new Dictionary<string, string>());

    private static Probe Post(string url, Dictionary<string, string>? form = null) => new(url, form ?? []);

    private static Dictionary<string, string> PostingForm(string title) =>
        new() { ["Title"] = title, ["Location"] = "Oslo", ["Description"] = "Build things that keep personal data safe." };

    /// <summary>Two months after the world's requests were filed: later than their due date, within the three-month limit.</summary>
    private static Dictionary<string, string> ExtensionForm() =>
        new() { ["NewDueDate"] = DateTime.UtcNow.AddMonths(2).ToString("yyyy-MM-dd"), ["Reason"] = "Extended by the walk." };

    /// <summary>The retention form with sample periods and no Confirm: a preview.</summary>
    private static Dictionary<string, string> RetentionForm(Guid? postingId)
    {
        var form = new Dictionary<string, string>
        {
            ["RejectedMonths"] = "3", ["WithdrawnDays"] = "30", ["NoDecisionMonthsAfterClosing"] = "6", ["HiredMonths"] = "6", ["TalentPoolMonths"] = "24", ["NoDecisionMonthsAfterReceipt"] = "6",
        };
        if (postingId is { } id)
            form["PostingId"] = id.ToString();
        return form;
    }

    private static Dictionary<string, string> HoldForm(Guid applicationId) =>
        new() { ["ApplicationId"] = applicationId.ToString(), ["Scope"] = "Application", ["Reason"] = "Hold from the walk." };

    private static Dictionary<string, string> ApplicationWithoutCv() =>
        new(ApplyTests.Fields("walk-visitor@example.test"));

    /// <summary>One concrete request of a row, and what each role gets from it.</summary>
    private sealed record Probe(string Url, Dictionary<string, string> Form)
    {
        public IReadOnlyDictionary<Role, Outcome> Expected { get; private init; } = new Dictionary<Role, Outcome>();
        public bool FreshSession { get; private init; }
        public bool SendsAntiforgeryToken { get; private init; } = true;

        public Probe Expect(Outcome anonymous, Outcome jobseekerA, Outcome jobseekerB, Outcome recruiterX, Outcome recruiterY,
            Outcome hr) => this with
        {
            Expected = new Dictionary<Role, Outcome>
            {
                [Role.Anonymous] = anonymous,
                [Role.JobseekerA] = jobseekerA,
                [Role.JobseekerB] = jobseekerB,
                [Role.RecruiterX] = recruiterX,
                [Role.RecruiterY] = recruiterY,
                [Role.Hr] = hr,
            },
        };

        /// <summary>For a request that ends the session it is sent in: it gets its own, and the role's browser is signed in
        /// again afterwards (a sign-out ends every session of the account).</summary>
        public Probe InFreshSession() => this with { FreshSession = true };

        public Probe WithoutAntiforgeryToken() => this with { SendsAntiforgeryToken = false };
    }
}
