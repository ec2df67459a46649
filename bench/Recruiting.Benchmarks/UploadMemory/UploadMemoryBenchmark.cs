using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Benchmarks.Harness;
using Recruiting.Benchmarks.ScaleOut;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.Benchmarks.UploadMemory;

/// <summary>
/// Upload memory: eight concurrent 20 MB uploads through the apply form (signed-in jobseekers) raise the portal
/// process's peak working set by less than 64 MB over its idle working set before any upload; 5 and 10 MB uploads show
/// whether memory grows with the file's size. The portal runs as a child process (the built
/// Recruiting.Web.dll, embedded default) so the load generator's buffers are not counted; its resident set is read from
/// /proc/&lt;pid&gt;/status: VmHWM (the kernel's peak, reset before each round through /proc/&lt;pid&gt;/clear_refs) and
/// VmRSS sampled every few milliseconds.
/// </summary>
public sealed class UploadMemoryBenchmark : IBenchmark
{
    public const int Uploads = 8;
    /// <summary>The file size the target is set for.</summary>
    public const int FileBytes = 20 * 1024 * 1024;
    private static readonly int[] FileSizes = [5 * 1024 * 1024, 10 * 1024 * 1024, FileBytes];
    /// <summary>The bench host's <c>Uploads:MaxFileBytes</c>: above 20 MiB (the default, 10 MiB, would refuse the files).</summary>
    public const int MaxFileBytes = 24 * 1024 * 1024;
    public const double TargetMiB = 64;
    private const int Seed = 20261130;

    public string Name => "upload-memory";

    public string Description => $"{Uploads} concurrent 5, 10 and 20 MiB CV uploads through the apply form: the portal process's peak working set over its first idle";

    private sealed record Round(int FileBytes, int Number, double IdleMiB, double PeakMiB, double HwmMiB, double SampledMiB, double Seconds)
    {
        public double GrowthMiB => PeakMiB - IdleMiB;
    }

    public async Task<BenchmarkOutcome> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
            throw new InvalidOperationException("upload-memory reads /proc/<pid>/status: it needs Linux.");
        var started = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Read();
        var loadBefore = MachineInfo.LoadAverage();
        // The target's size gets the most rounds; the smaller ones, there to show growth, fewer.
        int Rounds(int fileBytes) => options.Quick ? 1 : fileBytes == FileBytes ? 5 : 2;
        var rounds = Rounds(FileBytes);
        var clock = Stopwatch.StartNew();
        var steps = new List<(string, TimeSpan)>();
        void Step(string name)
        {
            steps.Add((name, clock.Elapsed));
            Console.WriteLine($"[upload-memory] {name}: {clock.Elapsed.TotalSeconds:0.0} s");
            clock.Restart();
        }

        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["Seed__HrPassword"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            ["Seed__DemoJobs"] = "false",
            ["Uploads__MaxFileBytes"] = MaxFileBytes.ToString(CultureInfo.InvariantCulture),
            ["RateLimits__SignIn__PermitLimit"] = "1000000",
            ["RateLimits__Registration__PermitLimit"] = "1000000",
            ["RateLimits__PasswordReset__PermitLimit"] = "1000000",
            ["RateLimits__DataRights__PermitLimit"] = "1000000",
        };
        await using var portal = await PortalInstance.StartAsync("upload-memory", core: null, settings, cancellationToken);
        var startedRss = Status(portal.Pid, "VmRSS");
        Step($"portal started as a child process (pid {portal.Pid}, {portal.Address}, embedded default, Uploads:MaxFileBytes={MaxFileBytes})");

        // The app's own services on the child's SQLite file: postings and jobseekers made as the app makes them.
        await using var app = Jobseekers.IdentityServices(new DatabaseOptions { Provider = DatabaseProvider.Sqlite },
            new DataDirectory(portal.DataDirectory)).BuildServiceProvider();
        var postings = await OpenPostings.CreateAsync(app, FileSizes.Sum(Rounds) + 1, "Designer", "A position for the upload-memory benchmark.", cancellationToken);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        }) { Timeout = TimeSpan.FromMinutes(3) };
        var jobseekers = new List<SignedInJobseeker>();
        foreach (var email in await Jobseekers.CreateAsync(app, Uploads, "upload-memory", cancellationToken))
            jobseekers.Add(await Jobseekers.SignInAsync(client, portal.Address, email, cancellationToken));
        Step($"{postings.Count} open postings; {Uploads} jobseekers made with the app's UserManager and signed in through POST /account/login");

        var cvs = FileSizes.ToDictionary(size => size, size => ApplyLoad.PdfShapedCv(size, Seed));
        var cv = cvs[FileBytes];
        var cvOfPosting = new Dictionary<Guid, byte[]> { [postings[0]] = cv };
        // The idle working set is measured once, before any upload, and every round's growth is taken from it: pools and
        // buffers an upload leaves behind count against the uploads, not as a higher idle.
        var coldIdle = await IdleAsync(portal.Pid, cancellationToken);
        // Warm-up (JIT, pools, the form reader's paths): the eight 20 MiB uploads once, not counted against the target but
        // recorded: the first uploads after start-up also pay for code and pools loaded once.
        ResetPeak(portal.Pid);
        double coldPeak;
        using (var sampler = new Sampler(portal.Pid))
        {
            await UploadAllAsync(client, portal, jobseekers, postings[0], cv, cancellationToken);
            coldPeak = Math.Max(sampler.Stop(), Status(portal.Pid, "VmHWM"));
        }
        Step($"warm-up: {Uploads} concurrent uploads of {FileBytes / 1024 / 1024} MiB, not counted (cold: idle {coldIdle:0.0} MiB, peak {coldPeak:0.0} MiB)");

        var measured = new List<Round>();
        var next = 1;
        foreach (var fileBytes in FileSizes)
        {
            for (var r = 1; r <= Rounds(fileBytes); r++)
            {
                var posting = postings[next++];
                cvOfPosting[posting] = cvs[fileBytes];
                // Settles as before a measured idle (the previous round's mail jobs done), but the idle is the first one.
                await IdleAsync(portal.Pid, cancellationToken);
                ResetPeak(portal.Pid);
                using var sampler = new Sampler(portal.Pid);
                var watch = Stopwatch.StartNew();
                await UploadAllAsync(client, portal, jobseekers, posting, cvs[fileBytes], cancellationToken);
                var seconds = watch.Elapsed.TotalSeconds;
                var sampled = sampler.Stop();
                var hwm = Status(portal.Pid, "VmHWM");
                var round = new Round(fileBytes, r, coldIdle, Math.Max(hwm, sampled), hwm, sampled, seconds);
                measured.Add(round);
                Console.WriteLine($"[upload-memory] {fileBytes / 1024 / 1024} MiB round {r}: peak {round.PeakMiB:0.0} MiB (VmHWM {hwm:0.0}, " +
                                  $"sampled {sampled:0.0}), growth over the first idle {round.GrowthMiB:0.0} MiB, {seconds:0.0} s");
            }
        }
        Step($"measured {string.Join(", ", FileSizes.Select(f => $"{Rounds(f)} rounds at {f / 1024 / 1024} MiB"))} of {Uploads} concurrent uploads");

        var verification = await VerifyAsync(app, portal, cvOfPosting, cancellationToken);
        Step("checked: " + verification);

        var loadAfter = MachineInfo.LoadAverage();
        var growth = Stats.Of(measured.Where(m => m.FileBytes == FileBytes).Select(m => m.GrowthMiB).ToList());
        var results = new SizedResults(Name, $"file size of each of {Uploads} concurrent uploads");
        for (var i = 0; i < FileSizes.Length; i++)
        {
            var at = measured.Where(m => m.FileBytes == FileSizes[i]).ToList();
            var g = Stats.Of(at.Select(m => m.GrowthMiB).ToList());
            var size = $"{FileSizes[i] / 1024 / 1024} MiB";
            var atTarget = FileSizes[i] == FileBytes;
            results.Add(new SizedResults.Row("peak over the first idle", "MiB", i, size, "peak working set over the first idle", g.Median,
                $"min–max of {g.Count} rounds: {g.Min:0.0}–{g.Max:0.0} MiB", null,
                atTarget ? $"< {TargetMiB:0} MiB (median and largest round)" : $"< {TargetMiB:0} MiB (set for 20 MiB; recorded)",
                atTarget ? g.Median < TargetMiB && g.Max < TargetMiB : null));
            results.Samples(size, "peak over the first idle, per round", "MiB", at.Select(m => m.GrowthMiB));
        }
        var pass = growth.Median < TargetMiB && growth.Max < TargetMiB;
        var table = new StringBuilder()
            .AppendLine("| File MiB | Round | First idle VmRSS MiB | Peak MiB | VmHWM MiB | Sampled VmRSS max MiB | Growth over the first idle MiB | 8 uploads took s |")
            .AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in measured)
            table.AppendLine($"| {m.FileBytes / 1024 / 1024} | {m.Number} | {m.IdleMiB:0.0} | {m.PeakMiB:0.0} | {m.HwmMiB:0.0} | {m.SampledMiB:0.0} | {m.GrowthMiB:0.0} | {m.Seconds:0.0} |");
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine($"peak working set over idle: median {growth.Median:0.0} MiB, max {growth.Max:0.0} MiB (target < {TargetMiB} MiB): {(pass ? "PASS" : "MISS")}");

        var file = options.ResultsFile(Name);
        var plots = await results.WriteAsync(file, cancellationToken);
        var b = new StringBuilder();
        b.AppendLine($"# Upload memory benchmark{(options.Quick ? " (quick)" : "")}, {started.UtcDateTime:yyyy-MM-dd}");
        b.AppendLine();
        b.AppendLine($"Target: eight concurrent 20 MB uploads raise the process's peak working set by less than {TargetMiB:0} MB over its idle " +
                     "working set before the first upload: uploads are streamed, never held in memory, so a burst of large CVs cannot exhaust " +
                     "the server. 5 and 10 MiB uploads show whether the peak grows with the file's size.");
        b.AppendLine();
        b.AppendLine("## At each file size");
        b.AppendLine();
        b.Append(results.Table(v => v.ToString("0.0", CultureInfo.InvariantCulture)));
        b.AppendLine();
        foreach (var plot in plots)
            b.AppendLine($"![{plot}]({plot})");
        b.AppendLine();
        b.AppendLine("Every figure per size: [upload-memory.csv](upload-memory.csv); every round: [upload-memory-samples.csv](upload-memory-samples.csv).");
        b.AppendLine();
        b.AppendLine("## Run");
        b.AppendLine();
        b.AppendLine($"- Date: {started.UtcDateTime:yyyy-MM-dd HH:mm} UTC; command: `bench/run {(options.Quick ? "--quick " : "")}upload-memory`");
        b.AppendLine($"- Machine: {machine.Cores} cores ({machine.Cpu}), memory {machine.Memory}; {machine.Os}; {machine.DotNet}");
        b.AppendLine($"- Load average (1, 5, 15 min) before: {loadBefore}; after: {loadAfter}");
        b.AppendLine($"- The portal: the Release build of Recruiting.Web run as a child process (`dotnet Recruiting.Web.dll`, Production, the " +
                     "Web SDK's server GC with DATAS, not pinned, the whole machine), on its embedded default (SQLite, filesystem blobs) in a " +
                     $"fresh data folder. **Bench setting: `Uploads:MaxFileBytes={MaxFileBytes}` ({MaxFileBytes / 1024 / 1024} MiB)**, so " +
                     "that 20 MiB files are accepted (the default is 10 MiB); the form and request limits follow from it as in production. " +
                     $"Its resident set after start-up: {startedRss:0.0} MiB.");
        b.AppendLine();
        b.AppendLine("## Every round");
        b.AppendLine();
        b.AppendLine(table.ToString());
        b.AppendLine($"- **{(pass ? "PASS" : "MISS")}**: {Uploads} concurrent uploads of {FileBytes / 1024 / 1024} MiB ({Uploads * FileBytes / 1024 / 1024} MiB " +
                     $"in flight) raise the peak working set by a median **{growth.Median:0.0} MiB** over the first idle ({coldIdle:0.0} MiB) (min {growth.Min:0.0}, max " +
                     $"{growth.Max:0.0} over {rounds} rounds); the target is under {TargetMiB:0} MiB, met when the median and the largest " +
                     "round are both under it.");
        b.AppendLine($"- The warm-up round (the first uploads after start-up, not counted): idle {coldIdle:0.0} MiB, peak {coldPeak:0.0} MiB, " +
                     $"growth {coldPeak - coldIdle:0.0} MiB; it also loads code and fills pools that stay.");
        b.AppendLine($"- Checks: {verification}.");
        b.AppendLine();
        b.AppendLine("## What is measured");
        b.AppendLine();
        b.AppendLine($"- {Uploads} jobseekers, made with the app's `UserManager<AppUser>` on the child's SQLite file (confirmed, Jobseeker role) " +
                     "and signed in through `POST /account/login`, each GET the apply form of the round's posting and POST it at the same " +
                     $"moment with a {FileBytes / 1024 / 1024} MiB PDF-shaped CV (random bytes, incompressible). A round succeeds when all " +
                     "eight answer 302 to their confirmation page. A warm-up round comes first, not counted.");
        b.AppendLine("- **Idle**: the median VmRSS of the portal process over 2 s (every 10 ms) after start-up and sign-in, before the " +
                     "first upload, measured once; each round waits as long (the previous round's mail jobs done) but is held to that first idle. **Peak**: the larger of VmHWM (the kernel's high-water mark of the resident set, reset just before the round by " +
                     "writing 5 to `/proc/<pid>/clear_refs`) and the largest VmRSS sampled every 2 ms during the round. Growth = peak − idle; " +
                     "MiB = 2^20 bytes. The load generator is this process, so its buffers (the eight 20 MiB bodies) are not counted.");
        b.AppendLine("- Why it stays flat: the apply action's `[UploadLimits]` filter reads the form with ASP.NET's form reader, which " +
                     "keeps each file section in memory only up to `FormOptions.MemoryBufferThreshold` (64 KiB) and spools the rest to a " +
                     "temporary file; the upload check, the scanner (off here) and the blob store then stream from that file in 80 KiB " +
                     "buffers while hashing. No step holds a whole file in memory.");
        b.AppendLine();
        b.AppendLine("| Step | Seconds |");
        b.AppendLine("|---|---:|");
        foreach (var (step, took) in steps)
            b.AppendLine($"| {step} | {took.TotalSeconds:0.0} |");
        await File.WriteAllTextAsync(file, b.ToString(), cancellationToken);
        Console.WriteLine($"[upload-memory] wrote {file}");

        Figure[] figures =
        [
            new($"Peak working set over the first idle, {Uploads} concurrent 20 MiB uploads (portal process)", $"{growth.Median:0.0} MiB",
                $"min–max of {rounds} rounds: {growth.Min:0.0}–{growth.Max:0.0} MiB", null, null, $"< {TargetMiB:0} MiB", pass,
                $"Uploads:MaxFileBytes={MaxFileBytes / 1024 / 1024} MiB in the bench host; first (cold) round after start-up: {coldPeak - coldIdle:0.0} MiB"),
            ..results.Rows.Where(r => r.Pass is null).Select(r => new Figure(
                $"Peak working set over the first idle, {Uploads} concurrent {r.Size} uploads", $"{r.Median:0.0} MiB", r.Spread, null, null, r.Target, null)),
        ];
        return new BenchmarkOutcome(file, pass ? [] : [$"peak working set grew {growth.Median:0.0} MiB (max {growth.Max:0.0}) over the first idle (target < {TargetMiB} MiB)"], figures)
            { Plots = plots };
    }

    private static async Task UploadAllAsync(HttpClient client, PortalInstance portal, List<SignedInJobseeker> jobseekers, Guid posting,
        byte[] cv, CancellationToken cancellationToken)
    {
        await Task.WhenAll(jobseekers.Select(j => Task.Run(() =>
            ApplyLoad.ApplyOnceAsync(client, portal.Address, portal.Address, j, posting, cv, cancellationToken), cancellationToken)));
    }

    /// <summary>The median resident set over 2 s once the portal's mail jobs are done: the idle working set.</summary>
    private static async Task<double> IdleAsync(int pid, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var samples = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            samples.Add(Status(pid, "VmRSS"));
            await Task.Delay(10, cancellationToken);
        }
        return Stats.Of(samples).Median;
    }

    /// <summary>Resets the kernel's peak resident set (VmHWM) of the process to its current resident set.</summary>
    private static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    /// <summary>A field of /proc/&lt;pid&gt;/status in MiB (the kernel gives kB).</summary>
    private static double Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        throw new InvalidOperationException($"/proc/{pid}/status has no {field}.");
    }

    /// <summary>Samples VmRSS every 2 ms on its own thread until stopped; returns the largest value in MiB.</summary>
    private sealed class Sampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private double _max;

        public Sampler(int pid)
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    _max = Math.Max(_max, Status(pid, "VmRSS"));
                    Thread.Sleep(2);
                }
            }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        public double Stop()
        {
            _stop = true;
            _thread.Join();
            return _max;
        }

        public void Dispose()
        {
            if (!_stop)
                Stop();
        }
    }

    /// <summary>Every upload is an application with a CV row of the right size and SHA-256, and a blob file of that size.</summary>
    private static async Task<string> VerifyAsync(ServiceProvider app, PortalInstance portal, Dictionary<Guid, byte[]> cvOfPosting,
        CancellationToken cancellationToken)
    {
        await using var scope = app.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecruitingDbContext>();
        var expected = Uploads * cvOfPosting.Count;
        var postings = cvOfPosting.Keys.ToList();
        var applications = await db.Applications.CountAsync(a => postings.Contains(a.JobPostingId), cancellationToken);
        var documents = await db.Documents.Where(d => d.Kind == DocumentKind.Cv)
            .Join(db.Applications, d => d.ApplicationId, a => a.Id, (d, a) => new { a.JobPostingId, d.Size, d.Sha256 })
            .ToListAsync(cancellationToken);
        var folder = Path.Combine(portal.DataDirectory, "blobs", "documents");
        var files = Directory.Exists(folder)
            ? Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Select(f => new FileInfo(f)).ToList()
            : [];
        Check(applications == expected, $"{expected} uploads but {applications} applications");
        Check(documents.Count == expected && documents.All(d => d.Size == cvOfPosting[d.JobPostingId].Length
                  && string.Equals(d.Sha256, Convert.ToHexString(SHA256.HashData(cvOfPosting[d.JobPostingId])), StringComparison.OrdinalIgnoreCase)),
            $"{expected} uploads but {documents.Count} CV rows, or a size or SHA-256 that differs from the file sent");
        var sizesSent = cvOfPosting.Values.SelectMany(cv => Enumerable.Repeat((long)cv.Length, Uploads)).Order();
        Check(files.Select(f => f.Length).Order().SequenceEqual(sizesSent), $"{expected} uploads but {files.Count} blob files, or of other sizes");
        return $"{expected} uploads (warm-up included) = {applications} applications = {documents.Count} CV rows, each of the size and " +
               $"SHA-256 of the file sent = {files.Count} blob files of those sizes in the portal's data folder";
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
            throw new InvalidOperationException("Check failed: " + what);
    }
}
