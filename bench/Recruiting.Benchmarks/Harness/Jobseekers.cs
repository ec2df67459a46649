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
public sealed record SignedInJobseeker(string Email, string FullName, string SessionCookie);

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

    /// <summary>The cookies a response sets, as a Cookie request header value (name=value; ...).</summary>
    public static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var set)
            ? set.Select(c => c.Split(';', 2)[0]).Where(c => !c.EndsWith('=')) : []);

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"{what} failed: {string.Join(", ", result.Errors.Select(e => e.Code))}");
    }
}
