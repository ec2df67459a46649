using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Recruiting.Benchmarks.Harness;
using Recruiting.Core.Applications;

namespace Recruiting.Benchmarks.Candidates;

/// <summary>
/// With 100,000 applications on one posting, the candidate list answers its first page, a deep page (page 1,000),
/// a search by email and a search by part of a name with a median under 50 ms and a 95th percentile under 100 ms, on
/// the embedded default. Measured over HTTP against the real app, next to the same SQL run bare as a baseline, at
/// 10,000, 100,000 and 300,000 applications to show how each case's cost grows with the posting's size.
/// </summary>
public sealed class CandidatesBenchmark : IBenchmark
{
    /// <summary>The size the targets are set for.</summary>
    public const int Applications = 100_000;
    // 300,000 rather than 1,000,000: seeding and oracle for a million cost minutes the run does not have; three sizes a
    // factor of 3 to 10 apart show the growth.
    private static readonly int[] Sizes = [10_000, Applications, 300_000];
    private static readonly int[] QuickSizes = [2_000, 10_000, 30_000];
    public const int OtherApplications = 2_000;
    public const int Seed = 20261129;
    public const double TargetMedianMs = 50;
    public const double TargetP95Ms = 100;

    public string Name => "candidates";

    public string Description =>
        "candidate list of one posting with 10k/100k/300k applications: first page, page 1,000, email and name search, status filter";

    private sealed class Case(string key, string title, string url, ExpectedPage expected, bool namedByIssue)
    {
        public string Key { get; } = key;
        /// <summary>The targets apply to first page, page 1,000, search by email and by name; the others are measured alongside.</summary>
        public bool NamedByIssue { get; } = namedByIssue;
        public string Title { get; } = title;
        public string Url { get; } = url;
        public ExpectedPage Expected { get; } = expected;
        public List<double> Http { get; } = [];
        public List<double> Raw { get; } = [];
        public List<double[]> RawPerCommand { get; } = [];
        public IReadOnlyList<CapturedCommand> Sql { get; set; } = [];
        public IReadOnlyList<string> Plans { get; set; } = [];
        public PreparedBatch Baseline { get; set; } = null!;
        public int[] BaselineRowCounts { get; set; } = [];
    }

    /// <summary>One size's measurements; <see cref="Data"/> only for the size whose detail the report gives.</summary>
    private sealed record SizeRun(int Applications, List<(Case Case, Stats Http, Stats Raw)> Rows, CandidateData? Data,
        List<(string Phase, TimeSpan Took)> Phases, string SqliteVersion, Uri Address, int Samples, int WarmupRounds, TimeSpan Budget,
        TimeSpan WarmupBudget, int MinSamples);

    public async Task<BenchmarkOutcome> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Read();
        var loadBefore = MachineInfo.LoadAverage();
        var sizes = options.Quick ? QuickSizes : Sizes;
        // The size the report details (SQL, plans, data): the targets' in a full run, the middle one in a quick run.
        var detailed = sizes[1];
        var runs = new List<SizeRun>();
        foreach (var size in sizes)
            runs.Add(await RunSizeAsync(options, size, size == detailed, cancellationToken));

        var loadAfter = MachineInfo.LoadAverage();
        var detail = runs.Single(r => r.Applications == detailed);
        var rows = detail.Rows;
        var table = Table(rows);
        Console.WriteLine();
        Console.WriteLine(table);

        var results = new SizedResults(Name, "applications on the posting");
        for (var i = 0; i < runs.Count; i++)
        {
            var size = Size(runs[i].Applications);
            foreach (var (c, http, raw) in runs[i].Rows)
            {
                var atTarget = c.NamedByIssue && runs[i].Applications == Applications;
                results.Add(new SizedResults.Row("median", "ms", i, size, c.Key, http.Median,
                    $"p25–p75 {Ms(http.P25)}–{Ms(http.P75)} ms; p95 {Ms(http.P95)} ms; N={http.Count}", raw.Median,
                    atTarget ? $"median < {TargetMedianMs:0} ms, p95 < {TargetP95Ms:0} ms" : "none (recorded)", atTarget ? Passes(http) : null));
                results.Add(new SizedResults.Row("p95", "ms", i, size, c.Key, http.P95,
                    $"p50 {Ms(http.Median)} ms; max {Ms(http.Max)} ms; N={http.Count}", Stats.Of(c.Raw).P95,
                    atTarget ? $"p95 < {TargetP95Ms:0} ms" : "none (recorded)", atTarget ? http.P95 < TargetP95Ms : null));
                results.Samples(size, c.Key + " (HTTP)", "ms", c.Http);
                results.Samples(size, c.Key + " (SQL bare)", "ms", c.Raw);
            }
        }
        var file = options.ResultsFile(Name);
        var plots = await results.WriteAsync(file, cancellationToken);
        await File.WriteAllTextAsync(file, Report(options, started, machine, detail, loadBefore, loadAfter, table, results, plots),
            cancellationToken);
        Console.WriteLine($"[candidates] wrote {file}");

        var misses = rows.Where(r => r.Case.NamedByIssue && !Passes(r.Http)).Select(r => r.Case.Title).ToList();
        var figures = runs.SelectMany(run => run.Rows.Select(r => new Figure(
            $"Candidate list, {run.Applications:N0} applications: {r.Case.Title}{(r.Case.NamedByIssue ? "" : " (no target)")}",
            $"{Ms(r.Http.Median)} ms",
            $"p25–p75 {Ms(r.Http.P25)}–{Ms(r.Http.P75)} ms; p95 {Ms(r.Http.P95)} ms; N={r.Http.Count}",
            $"{Ms(r.Raw.Median)} ms (the same SQL bare)",
            $"{(r.Http.Median / r.Raw.Median).ToString("0.0", CultureInfo.InvariantCulture)}×",
            r.Case.NamedByIssue && run.Applications == Applications
                ? $"median < {TargetMedianMs:0} ms, p95 < {TargetP95Ms:0} ms"
                : $"none (recorded; median < {TargetMedianMs:0} ms, p95 < {TargetP95Ms:0} ms would be {(Passes(r.Http) ? "met" : "missed")})",
            r.Case.NamedByIssue && run.Applications == Applications ? Passes(r.Http) : null,
            options.Quick ? "quick: smaller sizes than the targets name" : null))).ToList();
        return new BenchmarkOutcome(file, misses, figures) { Plots = plots };
    }

    private static string Size(int n) => n % 1_000 == 0 ? $"{n / 1_000}k" : n.ToString("N0");

    private async Task<SizeRun> RunSizeAsync(BenchOptions options, int applications, bool detailed, CancellationToken cancellationToken)
    {
        // The detailed size gets the full sample budget; the others, there to show growth, a smaller one.
        var samples = options.Quick ? 15 : detailed ? 200 : 100;
        var warmupRounds = options.Quick ? 3 : 20;
        // A slow case stops early once it has used its time budget (with at least a minimum of samples), so that the
        // run stays within minutes however slow the app is; the report gives every case's actual N.
        var budget = TimeSpan.FromSeconds(options.Quick ? 3 : detailed ? 25 : 8);
        var warmupBudget = TimeSpan.FromSeconds(options.Quick ? 1 : 6);
        var minSamples = options.Quick ? 3 : 10;
        var phases = new List<(string Phase, TimeSpan Took)>();
        var clock = Stopwatch.StartNew();
        void Phase(string name)
        {
            phases.Add((name, clock.Elapsed));
            Console.WriteLine($"[candidates] {applications:N0}: {name}: {clock.Elapsed.TotalSeconds:0.0} s");
            clock.Restart();
        }

        await using var server = new PortalServer();
        server.Start();
        Phase("app started on " + server.BaseAddress + " (migrated, first run done)");

        var now = DateTimeOffset.UtcNow;
        var posting = await server.CreateOpenPostingAsync("Backend developer (C#/.NET)", "Oslo or remote",
            "Build and run the services behind our products.", now.AddMonths(-7));
        var otherPosting = await server.CreateOpenPostingAsync("Payroll accountant", "Trondheim",
            "Own monthly payroll for our staff.", now.AddMonths(-7));
        var data = CandidateData.Generate(applications, OtherApplications, posting.Id, otherPosting.Id, now, Seed);
        Phase($"generated {data.ApplicantCount:N0} applicants, {data.Target.Count + data.Other.Count:N0} applications");
        data.Insert(server.DatabaseFile, Phase);
        foreach (var sql in options.AfterSeedSql)
        {
            CandidateData.Execute(server.DatabaseFile, sql);
            Phase($"EXPERIMENT applied: {sql}");
        }

        using var client = await server.SignedInHrClientAsync(cancellationToken);
        var list = $"/manage/postings/{posting.Id}/candidates";
        var probe = data.Target[data.Target.Count * 37 / 100];
        var at = probe.Email.IndexOf('@');
        var emailPrefix = probe.Email[..(at + 4)];              // e.g. "ingrid.marie.bakke@exa": the email path (has an @)
        var typedPrefix = probe.Email[..(probe.Email.IndexOf('.') + 3)]; // e.g. "ingrid.ma": no @, so name-or-email path
        var namePart = probe.FullName[(probe.FullName.IndexOf(' ') + 1)..]; // e.g. "Marie Bakke": everyone of that middle and last name
        // The deep page is a quarter of the way through the list: page 1,000 of 4,000 at the targets' size.
        var deepPage = Math.Max(1, applications / ExpectedPage.PageSize / 4);
        Case[] cases =
        [
            new("first", "First page", list, ExpectedPage.Of(data.Target, 1), true),
            new("deep", $"Page {deepPage:N0}", list + $"?page={deepPage}", ExpectedPage.Of(data.Target, deepPage), true),
            new("email", "Search: exact email", list + "?q=" + Uri.EscapeDataString(probe.Email),
                ExpectedPage.Of(data.Target, 1, search: probe.Email), true),
            new("email-prefix", $"Search: email prefix \"{emailPrefix}\"", list + "?q=" + Uri.EscapeDataString(emailPrefix),
                ExpectedPage.Of(data.Target, 1, search: emailPrefix), true),
            new("typed-prefix", $"Search: \"{typedPrefix}\" (no @: name or email prefix)",
                list + "?q=" + Uri.EscapeDataString(typedPrefix), ExpectedPage.Of(data.Target, 1, search: typedPrefix), false),
            new("name", $"Search: name \"{namePart}\"", list + "?q=" + Uri.EscapeDataString(namePart),
                ExpectedPage.Of(data.Target, 1, search: namePart), true),
            new("status", "Status filter Interview, first page", list + "?status=Interview",
                ExpectedPage.Of(data.Target, 1, status: ApplicationStatus.Interview), false),
        ];
        if (cases[0].Expected.Total != applications || cases[1].Expected.Rows.Count != ExpectedPage.PageSize)
            throw new InvalidOperationException("The oracle does not hold the seeded applications.");
        if (cases[2].Expected is not { Total: 1, Rows: [var only] } || only.Id != probe.Id)
            throw new InvalidOperationException($"The oracle does not find exactly one application for {probe.Email}.");

        // The seed is verified through the app before anything is timed.
        var firstPage = await GetCheckedAsync(client, cases[0], cancellationToken);
        Console.WriteLine($"[candidates] verified through the app: the first page shows {firstPage.Total} candidates, " +
                          $"page {firstPage.Page} of {firstPage.PageCount}");
        foreach (var c in cases.Skip(1))
            await GetCheckedAsync(client, c, cancellationToken);

        // The SQL EF sends for each request: the baseline runs exactly these statements, and their plans go in the report.
        using (var capture = await SqlCapture.StartAsync())
        {
            foreach (var c in cases)
            {
                capture.Drain();
                await GetCheckedAsync(client, c, cancellationToken);
                c.Sql = capture.Drain().Where(s => s.Text.Contains("\"Applications\"") || s.Text.Contains("\"JobPostings\"")).ToList();
                if (c.Sql.Count == 0)
                    throw new InvalidOperationException($"No SQL was captured for {c.Url}: EF's diagnostic events did not arrive.");
            }
        }

        using var raw = new RawSql(server.DatabaseFile);
        var sqliteVersion = raw.SqliteVersion();
        foreach (var c in cases)
        {
            c.Plans = c.Sql.Select(raw.Explain).ToList();
            c.Baseline = raw.Prepare(c.Sql);
            var results = c.Baseline.Run();
            CheckBaseline(c, results);
            c.BaselineRowCounts = results.Select(r => r.Count).ToArray();
        }
        Phase("verified every case through the app and its SQL bare; captured the SQL and its plans");

        var order = new Random(Seed);
        await RoundsAsync(client, cases, order, record: false, samples: warmupRounds, budget: warmupBudget, minSamples: 2,
            cancellationToken);
        Phase($"warmed up (up to {warmupRounds} rounds of every case, at most {warmupBudget.TotalSeconds:0} s per case)");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        await RoundsAsync(client, cases, order, record: true, samples, budget, minSamples, cancellationToken);
        Phase($"measured (rounds of every case once over HTTP and once bare, in random order; up to {samples} per case, " +
              $"at most {budget.TotalSeconds:0} s per case once it has {minSamples})");

        var rows = cases.Select(c => (Case: c, Http: Stats.Of(c.Http), Raw: Stats.Of(c.Raw))).ToList();
        foreach (var c in cases)
            c.Baseline.Dispose();
        return new SizeRun(applications, rows, detailed ? data : null, phases, sqliteVersion, server.BaseAddress, samples, warmupRounds,
            budget, warmupBudget, minSamples);
    }

    /// <summary>
    /// Rounds in which every case still running is requested once over HTTP and run once bare, in random order. A case
    /// is done when it has <paramref name="samples"/>, or when it has spent <paramref name="budget"/> and has at least
    /// <paramref name="minSamples"/>.
    /// </summary>
    private static async Task RoundsAsync(HttpClient client, Case[] cases, Random order, bool record, int samples, TimeSpan budget,
        int minSamples, CancellationToken cancellationToken)
    {
        var spent = cases.ToDictionary(c => c, _ => TimeSpan.Zero);
        var done = cases.ToDictionary(c => c, _ => 0);
        var running = cases.ToList();
        while (running.Count > 0)
        {
            foreach (var c in Shuffled(running.ToArray(), order))
            {
                var started = Stopwatch.GetTimestamp();
                await TimeHttpAsync(client, c, record, cancellationToken);
                TimeRaw(c, record);
                spent[c] += Stopwatch.GetElapsedTime(started);
                done[c]++;
                if (done[c] >= samples || (spent[c] >= budget && done[c] >= minSamples))
                    running.Remove(c);
            }
        }
    }

    private static async Task<CandidateListHtml> GetCheckedAsync(HttpClient client, Case c, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(c.Url, cancellationToken);
        return await CheckedAsync(response, c);
    }

    private static async Task TimeHttpAsync(HttpClient client, Case c, bool record, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(c.Url, cancellationToken); // returns once the whole body is read
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await CheckedAsync(response, c);
        if (record)
            c.Http.Add(elapsed);
    }

    private static async Task<CandidateListHtml> CheckedAsync(HttpResponseMessage response, Case c)
    {
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{c.Url} answered {(int)response.StatusCode}, not 200.");
        var page = CandidateListHtml.Parse(await response.Content.ReadAsStringAsync());
        page.Check(c.Expected, c.Url);
        return page;
    }

    private static void TimeRaw(Case c, bool record)
    {
        var perCommand = new double[c.Baseline.Count];
        var started = Stopwatch.GetTimestamp();
        var results = c.Baseline.Run(perCommand);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!results.Select(r => r.Count).SequenceEqual(c.BaselineRowCounts))
            throw new InvalidOperationException($"The baseline SQL of {c.Url} returned different row counts than before.");
        if (record)
        {
            c.Raw.Add(elapsed);
            c.RawPerCommand.Add(perCommand);
        }
    }

    /// <summary>The bare SQL must find what the page shows: the total (a COUNT) and the page's ids (the app may order
    /// the page's few rows itself; the page's order is checked on the HTML).</summary>
    private static void CheckBaseline(Case c, List<List<object[]>> results)
    {
        var hasTotal = results.Any(r => r is [[long total]] && total == c.Expected.Total);
        var ids = c.Expected.Rows.Select(a => a.Id).ToList();
        var hasRows = results.Any(r => r.Count == ids.Count && r.Select(row => row[0] as string).Order().SequenceEqual(ids.Order()));
        if (!hasTotal || !hasRows)
            throw new InvalidOperationException(
                $"The bare SQL of {c.Url} did not return the total {c.Expected.Total} and the page's {ids.Count} ids; it returned " +
                string.Join("; ", results.Select((r, i) =>
                    $"statement {i + 1} ({c.Sql[i].DescribeParameters()}): {r.Count} rows, first {(r.Count > 0 ? string.Join("|", r[0]) : "-")}")));
    }

    private static IEnumerable<Case> Shuffled(Case[] cases, Random random)
    {
        var copy = cases.ToArray();
        random.Shuffle(copy);
        return copy;
    }

    private static bool Passes(Stats http) => http.Median < TargetMedianMs && http.P95 < TargetP95Ms;

    private static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static string Table(IEnumerable<(Case Case, Stats Http, Stats Raw)> rows)
    {
        var b = new StringBuilder();
        b.AppendLine("| Case | N | HTTP median ms | HTTP p95 ms | HTTP min ms | HTTP max ms | SQL-only median ms | Ratio (median) | " +
                     $"Median < {TargetMedianMs:0} ms | p95 < {TargetP95Ms:0} ms |");
        b.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|");
        foreach (var (c, http, raw) in rows)
            b.AppendLine($"| {c.Title}{(c.NamedByIssue ? "" : " †")} | {http.Count} | {Ms(http.Median)} | {Ms(http.P95)} | {Ms(http.Min)} | {Ms(http.Max)} | {Ms(raw.Median)} | " +
                         $"{(http.Median / raw.Median).ToString("0.0", CultureInfo.InvariantCulture)}× | " +
                         $"{(http.Median < TargetMedianMs ? "PASS" : "**MISS**")} | {(http.P95 < TargetP95Ms ? "PASS" : "**MISS**")} |");
        b.AppendLine();
        b.AppendLine("† no target of its own (the targets are set for the first page, page 1,000, search by email and search by " +
                     "name); measured alongside against the same targets.");
        return b.ToString();
    }

    private string Report(BenchOptions options, DateTimeOffset started, MachineInfo machine, SizeRun detail, string loadBefore,
        string loadAfter, string table, SizedResults results, IReadOnlyList<string> plots)
    {
        var (sqliteVersion, samples, warmupRounds, budget, warmupBudget, minSamples) =
            (detail.SqliteVersion, detail.Samples, detail.WarmupRounds, detail.Budget, detail.WarmupBudget, detail.MinSamples);
        var (address, data, phases, rows) = (detail.Address, detail.Data!, detail.Phases, detail.Rows);
        var b = new StringBuilder();
        b.AppendLine($"# Candidate list benchmark, {started.UtcDateTime:yyyy-MM-dd}");
        b.AppendLine();
        if (options.IsExperiment)
        {
            b.AppendLine("> **EXPERIMENT**: SQL the app does not have was applied to its database after seeding; these are not the app's figures.");
            foreach (var sql in options.AfterSeedSql)
                b.AppendLine($"> `{sql}`");
            b.AppendLine();
        }
        b.AppendLine("Target: with 100,000 applications on one posting, the candidate list answers its first page and a deep page " +
                     "(page 1,000) with a median under 50 ms and a 95th percentile under 100 ms on the embedded default; search by " +
                     "email and search by part of a name likewise. The targets are applied to every case below.");
        b.AppendLine();
        b.AppendLine("## Run");
        b.AppendLine();
        b.AppendLine($"- Date: {started.UtcDateTime:yyyy-MM-dd HH:mm} UTC; command: `bench/run{(options.Quick ? " --quick" : "")} candidates`" +
                     (options.IsExperiment ? " with `--after-seed-sql`" : ""));
        b.AppendLine($"- Machine: {machine.Cores} cores ({machine.Cpu}), memory {machine.Memory}");
        b.AppendLine($"- OS: {machine.Os}, kernel {machine.Kernel}");
        b.AppendLine($"- .NET: {machine.DotNet}, Release build, {machine.Gc} GC; SQLite {sqliteVersion}");
        b.AppendLine($"- Load average (1, 5, 15 min) before: {loadBefore}; after: {loadAfter}");
        b.AppendLine($"- N = {samples} measured requests per case ({(options.Quick ? "quick" : "full")} run), unless the case used up " +
                     $"its time budget of {budget.TotalSeconds:0} s first (then it stops with at least {minSamples}); the " +
                     $"table gives each case's N. Warm-up: up to {warmupRounds} rounds, at most {warmupBudget.TotalSeconds:0} s per case.");
        b.AppendLine();
        b.AppendLine("## At each size");
        b.AppendLine();
        b.AppendLine($"The same cases on a posting of each size (a fresh app and data per size); the targets are checked at " +
                     $"{Applications:N0}, the other sizes show how each case's cost grows. Each HTTP figure sits next to the same SQL run " +
                     "bare (the baseline); the series are the cases' keys (first, deep, email, email-prefix, typed-prefix, name, status). " +
                     $"Sizes other than the detailed one get up to {(options.Quick ? 15 : 100)} requests per case and at most " +
                     $"{(options.Quick ? 3 : 8)} s per case.");
        b.AppendLine();
        b.Append(results.Table(Ms));
        b.AppendLine();
        foreach (var plot in plots)
            b.AppendLine($"![{plot}]({plot})");
        b.AppendLine();
        b.AppendLine("Every figure per size: [candidates.csv](candidates.csv); every timed request: [candidates-samples.csv](candidates-samples.csv).");
        b.AppendLine();
        b.AppendLine($"## Results at {detail.Applications:N0} applications, in detail");
        b.AppendLine();
        b.Append(table);
        b.AppendLine();
        var misses = rows.Where(r => !Passes(r.Http)).Select(r => r.Case.Title).ToList();
        b.AppendLine(misses.Count == 0
            ? "Every case meets both targets."
            : $"**{misses.Count} of {rows.Count} cases miss a target: {string.Join("; ", misses)}.**");
        b.AppendLine();
        b.AppendLine("- HTTP: the time from sending the GET to having the whole response body, measured by the client " +
                     "(HttpClient over a real loopback socket, cookie-signed-in as HR). Each response was checked before its " +
                     "time counted: 200, the total in \"N candidates · page P of M\", and every row (id, name, email, status, " +
                     "in order) equal to what the seeded data says that page must show.");
        b.AppendLine("- SQL-only: the statements EF sent for that very request (captured from EF's diagnostic events, listed " +
                     "below), run with the same parameters through Microsoft.Data.Sqlite on one open read-only connection " +
                     "to the same file, prepared once, every row and column read. No HTTP, MVC, EF or Razor. Ratio = HTTP " +
                     "median / SQL-only median: what the framework adds.");
        b.AppendLine("- Both are measured in the same rounds: each round runs every case once over HTTP and once bare, in " +
                     "random order, so drift and noise of this shared machine fall on all cases alike. Percentiles interpolate " +
                     "linearly between the closest ranks.");
        b.AppendLine();
        b.AppendLine("## Set-up");
        b.AppendLine();
        b.AppendLine($"- The real app (Recruiting.Web, `WebApplicationFactory<Program>` with Kestrel) on {address}, Production " +
                     "environment, embedded default: SQLite file in a fresh temporary data folder, migrated at start-up, WAL, " +
                     "filesystem blobs, in-memory Hangfire. The app runs in the benchmark's process.");
        b.AppendLine($"- Data: {data.ApplicantCount:N0} applicants (user account with the Jobseeker role, distinct names and " +
                     $"emails), {data.Target.Count:N0} applications on the measured posting and {data.Other.Count:N0} on a second " +
                     "posting by some of the same people; submitted over the last six months; cover letters empty (15 %) or " +
                     "300–3,000 characters; no documents; none restricted. Written straight to the app's database file after " +
                     "it migrated it, in one transaction with prepared commands, instants stored with EF's " +
                     "DateTimeOffsetToBinaryConverter; then checkpointed. The benchmark runs no ANALYZE, as the app runs none: SQLite " +
                     "plans without statistics.");
        b.AppendLine("- Status spread on the measured posting: " + string.Join(", ",
            data.Target.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count():N0}")) + ".");
        b.AppendLine();
        b.AppendLine("| Phase | Seconds |");
        b.AppendLine("|---|---:|");
        foreach (var (phase, took) in phases)
            b.AppendLine($"| {phase} | {took.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} |");
        b.AppendLine();
        b.AppendLine("## The SQL of each case and its plan");
        b.AppendLine();
        b.AppendLine("As EF Core generated it for the request (parameters as bound), with SQLite's `EXPLAIN QUERY PLAN` on the " +
                     "seeded file and each statement's median time in the SQL-only runs.");
        foreach (var (c, http, _) in rows)
        {
            b.AppendLine();
            b.AppendLine($"### {c.Title}");
            b.AppendLine();
            b.AppendLine($"`GET {c.Url}` → {c.Expected.Total:N0} candidates; HTTP median {Ms(http.Median)} ms.");
            for (var i = 0; i < c.Sql.Count; i++)
            {
                var median = Stats.Of(c.RawPerCommand.Select(t => t[i]).ToList()).Median;
                b.AppendLine();
                b.AppendLine($"Statement {i + 1}, SQL-only median {Ms(median)} ms; parameters: {c.Sql[i].DescribeParameters()}");
                b.AppendLine();
                b.AppendLine("```sql");
                b.AppendLine(c.Sql[i].Text);
                b.AppendLine("```");
                b.AppendLine();
                b.AppendLine("```");
                b.AppendLine(c.Plans[i]);
                b.AppendLine("```");
            }
        }
        return b.ToString();
    }
}
