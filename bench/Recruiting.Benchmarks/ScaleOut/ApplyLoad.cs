using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Recruiting.Benchmarks.Harness;

namespace Recruiting.Benchmarks.ScaleOut;

/// <summary>
/// Signed-in jobseekers applying through the real apply form, as a browser does: GET the form with the session cookie
/// (which sets the antiforgery cookie and renders its token), then POST it as multipart with a CV. The jobseekers were
/// made through the app's Identity services and signed in through POST /account/login (<see cref="Jobseekers"/>): no
/// application creates an account. A jobseeker applies once per posting, so application t of the whole run goes from
/// jobseeker t mod J to posting t div J (every pair at most once). A fixed number of workers apply one after another for
/// a fixed time. Each request goes to the next instance in turn (round-robin over requests, as a load balancer without
/// sticky sessions does), so with two instances a form rendered by one is often posted to the other.
/// </summary>
public sealed partial class ApplyLoad(HttpClient client, IReadOnlyList<Guid> postings, IReadOnlyList<SignedInJobseeker> jobseekers, byte[] cv)
{
    private static readonly string CoverLetter = string.Join(' ', Enumerable.Repeat("I would like to apply for this position.", 35));
    private long _applications = -1;

    [GeneratedRegex("name=\"NoticeVersion\" value=\"([^\"]*)\"")]
    private static partial Regex NoticeVersionField();

    public sealed record Application(double Finished, double GetMs, double PostMs, double TotalMs);

    public sealed class Phase(string label, int instances, TimeSpan duration)
    {
        public string Label { get; } = label;
        public int Instances { get; } = instances;
        /// <summary>How long new applications are started.</summary>
        public TimeSpan Duration { get; } = duration;
        /// <summary>Until the last application started within <see cref="Duration"/> was answered.</summary>
        public TimeSpan Wall { get; set; }
        /// <summary>Every application that succeeded (302 to its confirmation page), also those answered after the duration.</summary>
        public List<Application> Succeeded { get; } = [];
        public List<string> Failures { get; } = [];
        /// <summary>Requests per instance, and form posts whose form another instance rendered.</summary>
        public long[] RequestsPerInstance { get; set; } = [];
        public int CrossInstancePosts { get; set; }

        /// <summary>Applications answered within the duration, per second of it: the rate while the load lasted.</summary>
        public double Throughput => Succeeded.Count(a => a.Finished <= Duration.TotalSeconds) / Duration.TotalSeconds;
    }

    /// <summary>Runs <paramref name="concurrency"/> jobseekers against <paramref name="instances"/> for <paramref name="duration"/>.</summary>
    public async Task<Phase> RunAsync(string label, IReadOnlyList<Uri> instances, int concurrency, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var phase = new Phase(label, instances.Count, duration);
        var perInstance = new long[instances.Count];
        long turns = -1;
        var cross = 0;
        var clock = Stopwatch.StartNew();

        // Application t posts to instance t mod n and takes its form from (t + t div n) mod n: posts (the costly
        // requests) and form pages are each spread evenly, and with two instances half the forms are posted to the
        // instance that did not render them. (One turn over all requests would send every post to the same instance.)
        (int Get, int Post) NextApplication()
        {
            var t = Interlocked.Increment(ref turns);
            var n = instances.Count;
            var (get, post) = ((int)((t + t / n) % n), (int)(t % n));
            Interlocked.Increment(ref perInstance[get]);
            Interlocked.Increment(ref perInstance[post]);
            return (get, post);
        }

        async Task Jobseeker(int worker)
        {
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var started = clock.Elapsed;
                var (getAt, postAt) = NextApplication();
                try
                {
                    var (getMs, postMs) = await ApplyOnceAsync(instances[getAt], instances[postAt], cancellationToken);
                    var finished = clock.Elapsed;
                    lock (phase)
                    {
                        phase.Succeeded.Add(new Application(finished.TotalSeconds, getMs, postMs, (finished - started).TotalMilliseconds));
                        if (getAt != postAt) cross++;
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException
                                              && !cancellationToken.IsCancellationRequested)
                {
                    lock (phase)
                        phase.Failures.Add(e.Message);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Jobseeker(w), cancellationToken)));
        phase.Wall = clock.Elapsed;
        phase.RequestsPerInstance = perInstance;
        phase.CrossInstancePosts = cross;
        return phase;
    }

    /// <summary>One application: the form from one instance, the post to another (or the same); returns both times in ms.</summary>
    private async Task<(double GetMs, double PostMs)> ApplyOnceAsync(Uri formFrom, Uri postTo, CancellationToken cancellationToken)
    {
        var t = Interlocked.Increment(ref _applications);
        if (t >= (long)jobseekers.Count * postings.Count)
            throw new InvalidOperationException($"All {jobseekers.Count} jobseekers have applied to all {postings.Count} postings: make more.");
        return await ApplyOnceAsync(client, formFrom, postTo, jobseekers[(int)(t % jobseekers.Count)], postings[(int)(t / jobseekers.Count)], cv,
            cancellationToken);
    }

    /// <summary>
    /// One application of <paramref name="jobseeker"/> to <paramref name="posting"/>: the form from one instance, the post to
    /// another (or the same); throws unless the post answers 302 to the confirmation page; returns both times in ms.
    /// </summary>
    public static async Task<(double GetMs, double PostMs)> ApplyOnceAsync(HttpClient client, Uri formFrom, Uri postTo,
        SignedInJobseeker jobseeker, Guid posting, byte[] cv, CancellationToken cancellationToken)
    {
        var path = $"postings/{posting}/apply";
        var watch = Stopwatch.StartNew();
        using var formRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(formFrom, path));
        formRequest.Headers.Add("Cookie", jobseeker.SessionCookie);
        using var form = await client.SendAsync(formRequest, cancellationToken);
        var html = await form.Content.ReadAsStringAsync(cancellationToken);
        if (form.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET apply form answered {(int)form.StatusCode}");
        jobseeker.KeepRenewed(form);
        var token = Jobseekers.TokenField().Match(html) is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException("the apply form has no antiforgery token");
        var notice = NoticeVersionField().Match(html) is { Success: true } v ? v.Groups[1].Value
            : throw new InvalidOperationException("the apply form has no NoticeVersion");
        if (html.Contains("name=\"Password\"", StringComparison.Ordinal))
            throw new InvalidOperationException("the apply form asks for a password: the jobseeker is not signed in");
        // The antiforgery cookie, sent back with the session cookie as a browser would (the handler keeps no cookies).
        var cookies = jobseeker.SessionCookie + "; " + Jobseekers.Cookies(form, except: "auth");
        var getMs = watch.Elapsed.TotalMilliseconds;

        watch.Restart();
        using var content = Form(token, notice, jobseeker, cv);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(postTo, path)) { Content = content };
        request.Headers.Add("Cookie", cookies);
        using var response = await client.SendAsync(request, cancellationToken);
        jobseeker.KeepRenewed(response);
        var location = response.Headers.Location?.OriginalString ?? "";
        if (response.StatusCode != HttpStatusCode.Redirect || !location.StartsWith("/applications/", StringComparison.Ordinal))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"POST apply answered {(int)response.StatusCode} {location} {Summary(body)}");
        }
        return (getMs, watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// The apply form as a browser posts it for a signed-in jobseeker: antiforgery token, notice version, contact details,
    /// a 1,400-character cover letter and the CV as application/pdf. The intake baseline posts the same.
    /// </summary>
    public static MultipartFormDataContent Form(string token, string notice, SignedInJobseeker jobseeker, byte[] cv)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(notice), "NoticeVersion" },
            { new StringContent(jobseeker.FullName), "FullName" },
            { new StringContent(jobseeker.Email), "Email" },
            { new StringContent("+47 400 00 000"), "Phone" },
            { new StringContent("Storgata 1, 0150 Oslo"), "Address" },
            { new StringContent(CoverLetter), "CoverLetter" },
        };
        var file = new ByteArrayContent(cv);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "Cv", "cv.pdf");
        return content;
    }

    /// <summary>The validation summary of a refused form, so a failure says why.</summary>
    private static string Summary(string html)
    {
        var start = html.IndexOf("validation-summary", StringComparison.Ordinal);
        return start < 0 ? "" : Regex.Replace(html.Substring(start, Math.Min(400, html.Length - start)), "<[^>]+>", " ").Trim();
    }

    /// <summary>A PDF header and trailer around random bytes: the size of a small CV, incompressible like a scanned one.</summary>
    public static byte[] PdfShapedCv(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        "\n%%EOF\n"u8.CopyTo(bytes.AsSpan(size - 7));
        return bytes;
    }
}
