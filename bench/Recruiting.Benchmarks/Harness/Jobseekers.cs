using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.Benchmarks.Harness;

/// <summary>A jobseeker signed in through POST /account/login: the session cookie(s) to send with each request.</summary>
public sealed class SignedInJobseeker(string email, string fullName, string sessionCookie)
{
    public string Email { get; } = email;

    public string FullName { get; } = fullName;

    /// <summary>As the portal last set it: a browser sends the renewed cookie, not the first one.</summary>
    public string SessionCookie { get; private set; } = sessionCookie;

    /// <summary>
    /// Takes the session cookie a response renews (Identity re-issues it when it revalidates the session, every minute),
    /// as a browser would; a client that kept sending the first cookie would make the portal revalidate on every request.
    /// </summary>
    public void KeepRenewed(HttpResponseMessage response)
    {
        var renewed = Jobseekers.Cookies(response);
        if (!renewed.Contains("auth", StringComparison.Ordinal))
            return;
        var cookies = SessionCookie.Split("; ").Select(c => c.Split('=', 2)).ToDictionary(c => c[0], c => c[1]);
        foreach (var pair in renewed.Split("; ").Select(c => c.Split('=', 2)).Where(c => c[0].Contains("auth", StringComparison.Ordinal)))
            cookies[pair[0]] = pair[1];
        SessionCookie = string.Join("; ", cookies.Select(c => c.Key + "=" + c.Value));
    }
}

/// <summary>
/// Jobseeker accounts made through the app's own Identity services (<see cref="UserManager{AppUser}"/>: a confirmed
/// address, the Jobseeker role, a strong password), then signed in through the real sign-in form with its antiforgery
/// token. No benchmark relies on anonymous apply creating or signing in an account.
/// </summary>
public static partial class Jobseekers
{
    /// <summary>A fresh random password per run: long, not on any common-password list.</summary>
    public static readonly string Password = "Bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    public static partial Regex TokenField();

    /// <summary>
    /// The app's DbContext, blob store left aside, and Identity's user manager over the given database, for a portal
    /// that runs in another process (the scale-out instances, the upload-memory child).
    /// </summary>
    public static ServiceCollection IdentityServices(DatabaseOptions database, DataDirectory dataDirectory)
    {
        var services = new ServiceCollection();
        services.AddLogging().AddSingleton(TimeProvider.System).AddRecruitingDatabase(database, dataDirectory);
        services.AddIdentityCore<AppUser>(identity => identity.User.RequireUniqueEmail = true)
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<RecruitingDbContext>();
        return services;
    }

    /// <summary>Creates <paramref name="count"/> confirmed jobseeker accounts; returns their addresses.</summary>
    public static async Task<List<string>> CreateAsync(IServiceProvider services, int count, string prefix, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var emails = new List<string>();
        var run = Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var email = $"{prefix}-{run}-{i}@bench.test";
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
            Check(await users.CreateAsync(user, Password), $"creating {email}");
            Check(await users.AddToRoleAsync(user, Roles.Jobseeker), $"giving {email} the Jobseeker role");
            emails.Add(email);
        }
        return emails;
    }

    /// <summary>
    /// Signs in through the real form: GET /account/login (antiforgery cookie and token), POST it, expect a redirect
    /// that sets the session cookie. <paramref name="client"/> must keep no cookies and follow no redirects.
    /// </summary>
    public static async Task<SignedInJobseeker> SignInAsync(HttpClient client, Uri portal, string email, CancellationToken cancellationToken)
    {
        using var page = await client.GetAsync(new Uri(portal, "account/login"), cancellationToken);
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        var token = TokenField().Match(html) is { Success: true } t ? t.Groups[1].Value
            : throw new InvalidOperationException($"The sign-in page answered {(int)page.StatusCode} without an antiforgery token.");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(portal, "account/login"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = email,
                ["Password"] = Password,
                ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("Cookie", Cookies(page));
        using var response = await client.SendAsync(request, cancellationToken);
        var session = Cookies(response);
        if (response.StatusCode != HttpStatusCode.Redirect || !session.Contains("auth", StringComparison.Ordinal))
            throw new InvalidOperationException($"Signing in {email} answered {(int)response.StatusCode} without a session cookie.");
        return new SignedInJobseeker(email, "Bench Jobseeker " + email.Split('@')[0], session);
    }

    /// <summary>The cookies a response sets, as a Cookie request header value (name=value; ...), leaving out those whose
    /// name contains <paramref name="except"/>.</summary>
    public static string Cookies(HttpResponseMessage response, string? except = null) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var set)
            ? set.Select(c => c.Split(';', 2)[0])
                .Where(c => !c.EndsWith('=') && (except is null || !c.Split('=', 2)[0].Contains(except, StringComparison.Ordinal)))
            : []);

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"{what} failed: {string.Join(", ", result.Errors.Select(e => e.Code))}");
    }
}
