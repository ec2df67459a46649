using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Recruiting.Benchmarks.ScaleOut;

/// <summary>
/// Jobseekers applying through the real apply form, as a browser does: GET the form (which sets the antiforgery
/// cookie and renders its token), then POST it as multipart with a CV, as a visitor who is not signed in (so every
/// application also creates an account). A fixed number of jobseekers apply one after another for a fixed time. Each
/// request goes to the next instance in turn (round-robin over requests, as a load balancer without sticky sessions
/// does), so with two instances a form rendered by one is often posted to the other.
/// </summary>
public sealed partial class ApplyLoad(HttpClient client, Guid postingId, byte[] cv)
{
    public const string Password = "bench-applicant-password";
    private static readonly string CoverLetter = string.Join(' ', Enumerable.Repeat("I would like to apply for this position.", 35));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

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
        var run = Guid.NewGuid().ToString("N")[..8];
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
                    var (getMs, postMs) = await ApplyOnceAsync(instances[getAt], instances[postAt], $"{run}-{worker}-{n}", cancellationToken);
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
    private async Task<(double GetMs, double PostMs)> ApplyOnceAsync(Uri formFrom, Uri postTo, string id, CancellationToken cancellationToken)
    {
        var path = $"postings/{postingId}/apply";
        var watch = Stopwatch.StartNew();
        using var form = await client.GetAsync(new Uri(formFrom, path), cancellationToken);
        var html = await form.Content.ReadAsStringAsync(cancellationToken);
        if (form.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET apply form answered {(int)form.StatusCode}");
        var token = TokenField().Match(html) is { Success: true } t ? t.Groups[1].Value
            : throw new InvalidOperationException("the apply form has no antiforgery token");
        var notice = NoticeVersionField().Match(html) is { Success: true } v ? v.Groups[1].Value
            : throw new InvalidOperationException("the apply form has no NoticeVersion");
        // The antiforgery cookie, sent back as a browser would (the handler keeps no cookies: each applicant is new).
        var cookies = string.Join("; ", form.Headers.TryGetValues("Set-Cookie", out var set)
            ? set.Select(c => c.Split(';', 2)[0]) : []);
        var getMs = watch.Elapsed.TotalMilliseconds;

        watch.Restart();
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(notice), "NoticeVersion" },
            { new StringContent($"Bench Applicant {id}"), "FullName" },
            { new StringContent($"applicant-{id}@bench.test"), "Email" },
            { new StringContent("+47 400 00 000"), "Phone" },
            { new StringContent("Storgata 1, 0150 Oslo"), "Address" },
            { new StringContent(CoverLetter), "CoverLetter" },
            { new StringContent(Password), "Password" },
        };
        var file = new ByteArrayContent(cv);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "Cv", "cv.pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(postTo, path)) { Content = content };
        request.Headers.Add("Cookie", cookies);
        using var response = await client.SendAsync(request, cancellationToken);
        var location = response.Headers.Location?.OriginalString ?? "";
        if (response.StatusCode != HttpStatusCode.Redirect || !location.StartsWith("/applications/", StringComparison.Ordinal))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"POST apply answered {(int)response.StatusCode} {location} {Summary(body)}");
        }
        return (getMs, watch.Elapsed.TotalMilliseconds);
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
