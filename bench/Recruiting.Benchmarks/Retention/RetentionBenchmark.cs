using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Benchmarks.Harness;
using Recruiting.Core.Data;
using Recruiting.Core.Retention;

namespace Recruiting.Benchmarks.Retention;

/// <summary>
/// Retention speed, each at three sizes to show how the cost grows. (a) A <see cref="RetentionJob"/> run with N
/// applications and N CV files stored and none due takes under a second: its cost follows what is due, not what is
/// stored. (b) Deleting N due applications with their documents through <see cref="RetentionJob"/> takes at most 1.5 times
/// as long as a bare baseline doing the same deletions directly (SQL deletes and file deletes), measured in the same run
/// on the same database.
/// </summary>
public sealed class RetentionBenchmark : IBenchmark
{
    public const double IdleTargetSeconds = 1.0;
    // The project's goal for deletion against bare deletes.
    public const double DeleteTargetRatio = 1.5;
    /// <summary>The idle run's CV files: their number is what a run that listed the store would pay for, not their size.</summary>
    private const int IdleCvBytes = 1024;
    /// <summary>The deleted applications' documents: a CV and a further document (a reference letter) of typical PDF sizes.</summary>
    private const int CvBytes = 200 * 1024;
    private const int FurtherDocumentBytes = 50 * 1024;
    private const int ApplicationsPerApplicant = 10;

    public string Name => "retention";

    public string Description => "RetentionJob: a run with 10k/100k/1M applications and as many CV files stored, none due; " +
                                 "deleting 1k/10k/100k due applications with a 200 KiB CV and a 50 KiB further document each vs bare SQL + file deletes";

    public async Task<BenchmarkOutcome> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Read();
        var loadBefore = MachineInfo.LoadAverage();
        int[] storedSizes = options.Quick ? [1_000, 5_000, 20_000] : [10_000, 100_000, 1_000_000];
        int[] deleteSizes = options.Quick ? [200, 500, 2_000] : [1_000, 10_000, 100_000];
        var idleRuns = options.Quick ? 5 : 15;
        var results = new SizedResults(Name, "applications");
        var clock = Stopwatch.StartNew();
        var phases = new List<(string, TimeSpan)>();
        void Phase(string name)
        {
            phases.Add((name, clock.Elapsed));
            Console.WriteLine($"[retention] {name}: {clock.Elapsed.TotalSeconds:0.0} s");
            clock.Restart();
        }

        // (a) Idle: many stored, none due. One app; each size adds to what the last one stored.
        var idleBySize = new List<(int Stored, Stats Stats)>();
        List<string> plans = [];
        await using (var server = Server())
        {
            server.Start();
            Phase("(a) app started");
            var now = DateTimeOffset.UtcNow;
            var postings = new List<Guid>();
            for (var i = 0; i < 20; i++)
                postings.Add((await server.CreateOpenPostingAsync($"Posting {i}", "Oslo", "Benchmark posting.", now)).Id);
            var blobRoot = Path.Combine(server.DataPath, "blobs");
            Directory.CreateDirectory(Path.Combine(blobRoot, "documents"));
            var idleCv = new byte[IdleCvBytes];
            new Random(20261204).NextBytes(idleCv);
            var idleCvHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(idleCv));
            var seeded = 0;
            var runs = 0;
            for (var s = 0; s < storedSizes.Length; s++)
            {
                var stored = storedSizes[s];
                var blobNames = Enumerable.Range(0, stored - seeded).Select(_ => RetentionSeed.NewBlobName()).ToArray();
                // The files are written while the rows go in: one is the kernel's work, the other SQLite's.
                var writing = Task.Run(() => RetentionSeed.WriteBlobs(blobRoot, blobNames, idleCv), cancellationToken);
                using (var seed = new RetentionSeed(server.DatabaseFile))
                {
                    var r = seed.Random;
                    var next = 0;
                    for (var n = seeded / ApplicationsPerApplicant; n < stored / ApplicationsPerApplicant; n++)
                    {
                        var applicant = seed.Applicant(n, now.AddDays(-r.Next(1, 400)));
                        for (var k = 0; k < ApplicationsPerApplicant; k++)
                        {
                            var submitted = now.AddDays(-r.Next(1, 200));
                            var roll = r.NextDouble();
                            string application;
                            // Under review (its clock runs from receipt, so received recently enough to be beyond the warning
                            // window), or decided with a due date beyond it: nothing due, nothing to warn.
                            if (roll < 0.45)
                            {
                                var received = now.AddDays(-r.Next(1, 150));
                                application = seed.Application(applicant, postings[r.Next(postings.Count)], "Screening", received, null,
                                    received.AddMonths(6), "NoDecision");
                            }
                            else if (roll < 0.90)
                                application = seed.Application(applicant, postings[r.Next(postings.Count)], "Rejected", submitted, submitted,
                                    now.AddDays(r.Next(20, 183)), "Rejected");
                            else
                                application = seed.Application(applicant, postings[r.Next(postings.Count)], "Hired", submitted, submitted,
                                    now.AddDays(r.Next(20, 700)), "Hired");
                            seed.Document(application, "Cv", blobNames[next++], IdleCvBytes, idleCvHash, submitted);
                        }
                    }
                    seed.Commit();
                }
                await writing;
                seeded = stored;
                Phase($"(a) seeded up to {stored:N0} applications of {stored / ApplicationsPerApplicant:N0} applicants, each with a CV file " +
                      "(none due, none within the warning period)");
                Check(await Count(server, db => db.Applications.CountAsync()) == stored, "the seeded applications are there");
                Check(await Count(server, db => db.Documents.CountAsync()) == stored, "the seeded CV rows are there");
                Check(Directory.EnumerateFiles(Path.Combine(blobRoot, "documents")).Count() == stored, "the seeded CV files are there");

                // Warm-up, with the SQL captured for its plans at the largest size.
                using (var capture = await SqlCapture.StartAsync())
                {
                    await RunJobAsync(server);
                    if (s == storedSizes.Length - 1)
                        plans = Plans(server.DatabaseFile, capture.Drain());
                }
                var idle = new List<double>();
                for (var i = 0; i < idleRuns; i++)
                    idle.Add(await RunJobAsync(server));
                runs += idleRuns + 1;
                Phase($"(a) {stored:N0} stored: a warm-up run, then {idleRuns} measured runs");
                Check(await Count(server, db => db.Applications.CountAsync()) == stored, "nothing was deleted");
                var completed = await Count(server, db => db.RetentionRuns.CountAsync(r => r.Status == RetentionRunStatus.Completed
                    && r.Counts!.Contains("deleted=0") && r.Counts.Contains("warnings=0")));
                Check(completed == runs, $"every run completed, deleting and warning nothing ({completed} of {runs})");

                var stats = Stats.Of(idle);
                idleBySize.Add((stored, stats));
                var size = SizeLabel(stored);
                results.Samples(size, "idle run", "ms", idle);
                results.Add(new SizedResults.Row("idle run", "ms", s, size, "run with none due (applications and CV files stored)",
                    stats.Median, $"p25–p75 {stats.P25:0.0}–{stats.P75:0.0} ms; p95 {stats.P95:0.0} ms; N={stats.Count}", null,
                    $"< {IdleTargetSeconds * 1000:0} ms", stats.Median < IdleTargetSeconds * 1000));
            }
        }
        Phase("(a) app stopped, its data folder deleted");

        // (b) Deleting: at each size, N due through the job and N more the same deleted bare, in interleaved rounds (the
        // machine's load drifts). One app; every size's rows are stored from the start, each round's files are written just
        // before it.
        var rounds = options.Quick ? 2 : 5;
        var deleteBySize = new List<(int Count, List<(double Job, double Baseline)> Rounds)>();
        var sqlTotals = new List<(string Sql, int Count, double Seconds)>();
        await using (var server = Server())
        {
            server.Start();
            Phase("(b) app started");
            var now = DateTimeOffset.UtcNow;
            var blobRoot = Path.Combine(server.DataPath, "blobs");
            var documents = Path.Combine(blobRoot, "documents");
            Directory.CreateDirectory(documents);
            var cv = new byte[CvBytes];
            var further = new byte[FurtherDocumentBytes];
            var random = new Random(20261129);
            random.NextBytes(cv);
            random.NextBytes(further);
            var cvHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(cv));
            var furtherHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(further));
            // Per size and round: the job's posting, the baseline's posting and the blobs of both.
            var plan = new List<(int Size, int Round, Guid Job, Guid Bare, List<string> CvBlobs, List<string> FurtherBlobs)>();
            foreach (var size in deleteSizes)
                for (var k = 0; k < rounds; k++)
                    plan.Add((size, k,
                        (await server.CreateOpenPostingAsync($"Deleted by the job {size}/{k}", "Oslo", "Benchmark posting.", now)).Id,
                        (await server.CreateOpenPostingAsync($"Deleted bare {size}/{k}", "Oslo", "Benchmark posting.", now)).Id, [], []));
            using (var seed = new RetentionSeed(server.DatabaseFile))
            {
                var n = 0;
                foreach (var (size, _, jobPosting, barePosting, cvBlobs, furtherBlobs) in plan)
                {
                    for (var i = 0; i < size / rounds; i++, n++)
                    {
                        // Each applicant has one of each, so none is left without an application (no inactivity erasure here).
                        var applicant = seed.Applicant(n, now);
                        var submitted = now.AddMonths(-8);
                        // Stored with a date a year away: the run dates only applications without one, so each round's
                        // share becomes due when the round sets it, not at the first run.
                        var notYet = now.AddYears(1);
                        foreach (var posting in new[] { jobPosting, barePosting })
                        {
                            var application = seed.Application(applicant, posting, "Rejected", submitted, submitted.AddDays(10), notYet, "Rejected");
                            var cvBlob = RetentionSeed.NewBlobName();
                            var furtherBlob = RetentionSeed.NewBlobName();
                            seed.Document(application, "Cv", cvBlob, CvBytes, cvHash, submitted);
                            seed.Document(application, "Other", furtherBlob, FurtherDocumentBytes, furtherHash, submitted);
                            cvBlobs.Add(cvBlob);
                            furtherBlobs.Add(furtherBlob);
                        }
                    }
                }
                seed.Commit();
            }
            Phase($"(b) seeded {plan.Sum(p => 2 * (p.Size / rounds)):N0} applications with two document rows each " +
                  $"({deleteSizes.Length} sizes × {rounds} rounds × job and baseline)");

            var order = new Random(20261129);
            foreach (var size in deleteSizes)
            {
                var roundTimes = new List<(double Job, double Baseline)>();
                foreach (var (_, k, jobPosting, barePosting, cvBlobs, furtherBlobs) in plan.Where(p => p.Size == size))
                {
                    // Not timed: this round's files are written and flushed, and its job share becomes due (as the policies
                    // would have set it).
                    RetentionSeed.WriteBlobs(blobRoot, cvBlobs, cv);
                    RetentionSeed.WriteBlobs(blobRoot, furtherBlobs, further);
                    Check(Directory.EnumerateFiles(documents).Count() == cvBlobs.Count + furtherBlobs.Count, "this round's document files are there");
                    MakeDue(server.DatabaseFile, jobPosting, now.AddDays(-1));
                    double job = 0, bare = 0;
                    var jobFirst = order.Next(2) == 0;
                    for (var step = 0; step < 2; step++)
                    {
                        if ((step == 0) == jobFirst)
                        {
                            using var capture = await SqlCapture.StartAsync();
                            job = await RunJobAsync(server) / 1000;
                            if (size == deleteSizes[^1])
                                sqlTotals.AddRange(capture.Drain().GroupBy(c => c.Text)
                                    .Select(g => (Sql: g.Key, Count: g.Count(), Seconds: g.Sum(c => c.Duration.TotalSeconds))));
                            Check(await Count(server, db => db.Applications.CountAsync(a => a.JobPostingId == jobPosting)) == 0,
                                "the job deleted every due application");
                        }
                        else
                        {
                            bare = Baseline(server.DatabaseFile, blobRoot, barePosting);
                            Check(await Count(server, db => db.Applications.CountAsync(a => a.JobPostingId == barePosting)) == 0,
                                "the baseline deleted its applications");
                        }
                    }
                    roundTimes.Add((job, bare));
                    Check(!Directory.EnumerateFiles(documents).Any(), "the document files of this round are gone");
                    Console.WriteLine($"[retention] (b) {size:N0}, round {k + 1}/{rounds}: job {job:0.00} s, baseline {bare:0.00} s " +
                                      $"({(jobFirst ? "job" : "baseline")} first)");
                }
                deleteBySize.Add((size, roundTimes));
                Phase($"(b) {size:N0}: {rounds} rounds of {size / rounds:N0} + {size / rounds:N0} deletions: " +
                      $"job {roundTimes.Sum(r => r.Job):0.00} s, baseline {roundTimes.Sum(r => r.Baseline):0.00} s");
            }
            Check(await Count(server, db => db.Applications.CountAsync()) == 0, "no application is left");
            Check(await Count(server, db => db.Documents.CountAsync()) == 0, "no document row is left");
            var jobPostings = plan.Select(p => p.Job).ToList();
            Check(await Count(server, db => db.PostingStatistics.Where(s => jobPostings.Contains(s.JobPostingId)).SumAsync(s => s.Count))
                  == plan.Sum(p => p.Size / rounds), "the statistics count each deletion once");
            sqlTotals = sqlTotals.GroupBy(x => x.Sql).Select(g => (g.Key, g.Sum(x => x.Count), g.Sum(x => x.Seconds)))
                .OrderByDescending(x => x.Item3).ToList();
        }

        var misses = new List<string>();
        var headlineDelete = deleteSizes[^1];
        for (var i = 0; i < deleteBySize.Count; i++)
        {
            var (count, roundTimes) = deleteBySize[i];
            var jobSeconds = roundTimes.Sum(r => r.Job);
            var baselineSeconds = roundTimes.Sum(r => r.Baseline);
            var ratio = jobSeconds / baselineSeconds;
            var size = SizeLabel(count);
            results.Samples(size, "deletion: RetentionJob (round)", "s", roundTimes.Select(r => r.Job));
            results.Samples(size, "deletion: bare baseline (round)", "s", roundTimes.Select(r => r.Baseline));
            var jobRounds = Stats.Of(roundTimes.Select(r => r.Job).ToList());
            // The target is the project's for 100,000 deletions; smaller counts are recorded to show how the cost grows.
            bool? pass = count == 100_000 ? ratio <= DeleteTargetRatio : null;
            if (pass == false)
                misses.Add($"deleting {count:N0} took {ratio:0.00}× the baseline, more than {DeleteTargetRatio}×");
            results.Add(new SizedResults.Row("deletion", "s", i, size, $"deleting due applications with their documents (sum of {rounds} rounds)",
                jobSeconds, $"per round ({count / rounds:N0}): median {jobRounds.Median:0.00} s, min–max {jobRounds.Min:0.00}–{jobRounds.Max:0.00} s",
                baselineSeconds, count == 100_000 ? $"≤ {DeleteTargetRatio}× baseline" : $"≤ {DeleteTargetRatio}× baseline (set for 100,000; recorded)",
                pass));
        }
        foreach (var (stored, stats) in idleBySize.Where(x => x.Stats.Median >= IdleTargetSeconds * 1000))
            misses.Add($"idle run with {stored:N0} stored: median {stats.Median:0} ms is not under {IdleTargetSeconds * 1000:0} ms");

        var loadAfter = MachineInfo.LoadAverage();
        var table = results.Table(v => v.ToString(v < 10 ? "0.00" : "0.0", System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine();
        Console.WriteLine(table);

        var file = options.ResultsFile(Name);
        var plots = await results.WriteAsync(file, cancellationToken);
        await File.WriteAllTextAsync(file, Report(options, started, machine, loadBefore, loadAfter, storedSizes, deleteSizes, rounds, table, plots,
                plans, phases, sqlTotals), cancellationToken);
        Console.WriteLine($"[retention] wrote {file}");

        var figures = results.Rows.Select(r => new Figure(
            r.Plot == "idle run"
                ? $"Retention run, {r.Size} applications and as many CV files stored, none due"
                : $"Deleting {r.Size} due applications with a CV and a further document each (RetentionJob, sum of {rounds} rounds)",
            r.Unit == "ms" ? $"{r.Median:0.0} ms" : $"{r.Median:0.0} s", r.Spread,
            r.Baseline is { } b ? $"{b:0.0} s (bare SQL + file deletes)" : null, r.Ratio is { } q ? $"{q:0.00}×" : null, r.Target, r.Pass,
            options.Quick ? "quick: smaller sizes than the targets name" : null)).ToList();
        return new BenchmarkOutcome(file, misses, figures) { Plots = plots };
    }

    /// <summary>10,000 → "10k", 1,000,000 → "1M": the size as the plots and tables name it.</summary>
    internal static string SizeLabel(int n) =>
        n >= 1_000_000 && n % 1_000_000 == 0 ? $"{n / 1_000_000}M" : n >= 1_000 && n % 1_000 == 0 ? $"{n / 1_000}k" : n.ToString("N0");

    private static PortalServer Server()
    {
        var server = new PortalServer();
        server.Settings["Retention:MaxDeletionsPerRun"] = "10000000";
        server.Settings["Jobs:RetentionCron"] = "0 0 31 2 *"; // never by itself: the benchmark runs it
        return server;
    }

    private static void MakeDue(string databaseFile, Guid postingId, DateTimeOffset dueAt)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        connection.Open();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE \"Applications\" SET \"DeletionDueAt\" = $due, \"DeletionOutcome\" = 'Rejected' WHERE \"JobPostingId\" = $p; " +
                             "PRAGMA wal_checkpoint(TRUNCATE);";
        update.Parameters.AddWithValue("$due", RetentionSeed.Stored(dueAt));
        update.Parameters.AddWithValue("$p", RetentionSeed.Stored(postingId));
        update.ExecuteNonQuery();
    }

    /// <summary>One run as Hangfire calls it (a fresh scope), timed; milliseconds.</summary>
    private static async Task<double> RunJobAsync(PortalServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var job = scope.ServiceProvider.GetRequiredService<RetentionJob>();
        var watch = Stopwatch.StartNew();
        await job.RunAsync(CancellationToken.None);
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// The same deletions done directly: read the CV names, delete the files, then delete the posting's notes,
    /// documents, consents, access-log entries and applications in one transaction. Seconds.
    /// </summary>
    private static double Baseline(string databaseFile, string blobRoot, Guid postingId)
    {
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        connection.Open();
        using (var pragmas = connection.CreateCommand())
        {
            // As the app's own connections, so erased data cannot be read back: deleted content is overwritten, not left in free pages.
            pragmas.CommandText = Recruiting.Infrastructure.Data.SqlitePragmas.Pragmas;
            pragmas.ExecuteNonQuery();
        }
        var posting = RetentionSeed.Stored(postingId);
        const string ids = "SELECT \"Id\" FROM \"Applications\" WHERE \"JobPostingId\" = $p";
        var names = new List<string>();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = $"SELECT \"BlobName\" FROM \"Documents\" WHERE \"ApplicationId\" IN ({ids})";
            select.Parameters.AddWithValue("$p", posting);
            using var reader = select.ExecuteReader();
            while (reader.Read())
                names.Add(reader.GetString(0));
        }
        foreach (var name in names)
            File.Delete(Path.Combine(blobRoot, name));
        using var transaction = connection.BeginTransaction();
        foreach (var sql in new[]
                 {
                     $"DELETE FROM \"Notes\" WHERE \"ApplicationId\" IN ({ids})",
                     $"DELETE FROM \"Documents\" WHERE \"ApplicationId\" IN ({ids})",
                     $"DELETE FROM \"Consents\" WHERE \"ApplicationId\" IN ({ids})",
                     $"DELETE FROM \"AccessLog\" WHERE \"ApplicationId\" IN ({ids})",
                     "DELETE FROM \"Applications\" WHERE \"JobPostingId\" = $p",
                 })
        {
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = sql;
            delete.Parameters.AddWithValue("$p", posting);
            delete.ExecuteNonQuery();
        }
        transaction.Commit();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>EXPLAIN QUERY PLAN of every SELECT the warm-up run sent.</summary>
    private static List<string> Plans(string databaseFile, IReadOnlyList<CapturedCommand> commands)
    {
        using var raw = new RawSql(databaseFile);
        var plans = new List<string>();
        foreach (var command in commands.Where(c => c.Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)))
        {
            using var explain = command.CreateOn(raw.Connection, "EXPLAIN QUERY PLAN ");
            using var reader = explain.ExecuteReader();
            var lines = new List<string>();
            while (reader.Read())
                lines.Add(reader.GetString(3));
            plans.Add($"```sql\n{command.Text}\n```\n\n```\n{string.Join("\n", lines)}\n```\n");
        }
        return plans;
    }

    private static async Task<int> Count(PortalServer server, Func<RecruitingDbContext, Task<int>> query)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<RecruitingDbContext>());
    }

    private static string Report(BenchOptions options, DateTimeOffset started, MachineInfo machine, string loadBefore, string loadAfter,
        int[] storedSizes, int[] deleteSizes, int rounds, string table, IReadOnlyList<string> plots, List<string> plans,
        List<(string, TimeSpan)> phases, List<(string Sql, int Count, double Seconds)> sqlTotals)
    {
        var b = new StringBuilder();
        b.AppendLine($"# Retention enforcement benchmark{(options.Quick ? " (quick)" : "")}, {started:yyyy-MM-dd HH:mm} UTC");
        b.AppendLine();
        b.AppendLine($"Machine: {machine.Cpu}, {machine.Cores} cores, {machine.Memory}; {machine.Os} ({machine.Kernel}); .NET {machine.DotNet}, {machine.Gc}. " +
                     $"Load average before: {loadBefore}; after: {loadAfter}.");
        b.AppendLine();
        b.AppendLine("Targets: a run with nothing due takes under a second however much is stored (its cost must follow what is due); " +
                     $"deleting 100,000 due applications with their documents takes at most {DeleteTargetRatio}× the same deletions done bare " +
                     "(what the job adds for its batching, checks, statistics and crash safety).");
        b.AppendLine();
        b.AppendLine(table);
        foreach (var plot in plots)
            b.AppendLine($"![{plot}]({plot})");
        b.AppendLine();
        b.AppendLine($"Every figure per size: [retention.csv](retention.csv); every timed run: [retention-samples.csv](retention-samples.csv).");
        b.AppendLine();
        b.AppendLine("## What is measured");
        b.AppendLine();
        b.AppendLine($"- **(a)** `RetentionJob.RunAsync` called as Hangfire calls it (a fresh DI scope), with {string.Join(", then ", storedSizes.Select(n => n.ToString("N0")))} " +
                     $"applications stored (one app; each size adds to the last; {ApplicationsPerApplicant} applications per applicant, 20 postings), " +
                     $"each with its CV: a document row and a {IdleCvBytes:N0}-byte file in the filesystem blob store, so the store holds as many files " +
                     "as there are applications. 45 % are under review (due six months after receipt), the rest rejected or hired with due dates " +
                     "20 days to two years ahead, so nothing is due and nothing is within the 14-day warning period. A run takes the lease (inserts " +
                     "its run row), counts what is due, looks for applications to warn, deletes nothing, looks for inactive applicants and records its " +
                     "end; it does not list the blob store (the orphan-file sweep is a daily job of its own), which the files are there to show: the " +
                     "number of files is what a listing would pay for, their size is not, hence small files. At each size one warm-up run, then the " +
                     "measured runs; every run is checked to have completed with `deleted=0; warnings=0`, and the applications to be all there.");
        b.AppendLine($"- **(b)** At each of {string.Join(", ", deleteSizes.Select(n => n.ToString("N0")))}: twice that many rejected applications, " +
                     $"each with a {CvBytes / 1024} KiB CV and a {FurtherDocumentBytes / 1024} KiB further document (typical PDF sizes: file deletion " +
                     "frees the blocks and the inode of each, so sizes and the number of documents are what a real store pays), both as document rows " +
                     "and files in the filesystem blob store, on pairs of postings: one of each pair for the job, one for the bare baseline, one pair " +
                     $"per round ({rounds} rounds per size). All rows are stored from the start; each round's files are written and flushed to disk " +
                     "just before it (untimed; this bounds the disk the run needs), and the job's share becomes due (its `DeletionDueAt` set to " +
                     "yesterday). In each round, in random order: one `RetentionJob` run deletes its share through the app: batches " +
                     "(`Retention:BatchSize`), each: due ids by the `DeletionDueAt` index, the blob names, the blobs through `IBlobStore`, then one " +
                     "transaction deleting notes, documents, consents, access-log entries and applications by id, with the affected-row check, the " +
                     "applicant mark and the statistics; a heartbeat per batch. The bare baseline deletes its share directly: one query for the " +
                     "blob names, `File.Delete` for each (one at a time), then one transaction with `DELETE` statements by posting, on a connection " +
                     "with the app's pragmas (`secure_delete`, so erased data is overwritten rather than left in free pages). Rounds interleave the " +
                     "two so that the machine's changing load falls on both. Checked after every round and at the end: no application, document " +
                     "row or file of the round left, and the statistics count exactly N. The target compares the sums of the rounds.");
        b.AppendLine();
        b.AppendLine("## Query plans of the idle run (EXPLAIN QUERY PLAN, SQLite)");
        b.AppendLine();
        foreach (var plan in plans)
            b.AppendLine(plan);
        b.AppendLine($"## Where the job's time went in (b) at {deleteSizes[^1]:N0}: SQL statements as EF timed them (captured during the run)");
        b.AppendLine();
        b.AppendLine("| Seconds | Commands | Statement (start) |");
        b.AppendLine("|---:|---:|---|");
        foreach (var (sql, count, seconds) in sqlTotals.Take(12))
            b.AppendLine($"| {seconds:0.00} | {count:N0} | `{Short(sql)}` |");
        b.AppendLine();
        b.AppendLine("## Set-up");
        b.AppendLine();
        b.AppendLine("- The real app (`WebApplicationFactory<Program>` on Kestrel, Production environment) on its embedded default: SQLite file, " +
                     "filesystem blob store and in-memory Hangfire, in a fresh temporary data folder per part; the recurring schedule is set never " +
                     "to fire, `Retention:MaxDeletionsPerRun` above N. Rows written straight into the SQLite file (one transaction, prepared commands, " +
                     "EF's column types), then the WAL checkpointed, as the candidates benchmark does.");
        b.AppendLine();
        b.AppendLine("| Phase | Seconds |");
        b.AppendLine("|---|---:|");
        foreach (var (phase, took) in phases)
            b.AppendLine($"| {phase} | {took.TotalSeconds:0.0} |");
        return b.ToString();
    }

    private static string Short(string sql)
    {
        var flat = string.Join(' ', sql.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return (flat.Length > 160 ? flat[..160] + " …" : flat).Replace("|", "\\|");
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
            throw new InvalidOperationException("Check failed: " + what);
    }
}
