using System.Diagnostics;
using Recruiting.Benchmarks.Candidates;
using Recruiting.Benchmarks.Export;
using Recruiting.Benchmarks.Harness;
using Recruiting.Benchmarks.Intake;
using Recruiting.Benchmarks.Retention;
using Recruiting.Benchmarks.ScaleOut;
using Recruiting.Benchmarks.UploadMemory;

namespace Recruiting.Benchmarks;

/// <summary>
/// <c>bench/run [--quick] [names...]</c>: runs the named benchmarks (default: all), each of which prints its table
/// and writes <c>bench/results/&lt;name&gt;.md</c> with its CSVs and plots (<see cref="SizedResults"/>); a run of every
/// benchmark also writes the combined <c>bench/results/summary.md</c> (<see cref="CombinedReport"/>). A target missed is reported, not an error; a
/// failed check (a wrong page, a wrong count) is, and ends the run with exit code 1.
/// </summary>
public static class BenchMain
{
    /// <summary>Every benchmark; a new one is one more class here.</summary>
    private static readonly IBenchmark[] All = 
    [
        new CandidatesBenchmark(), new IntakeBenchmark(), new UploadMemoryBenchmark(), new ExportBenchmark(), new RetentionBenchmark(),
        new ScaleOutBenchmark(),
    ];

    private const string Usage =
        """
        usage: bench/run [--quick] [--results DIR] [--after-seed-sql SQL]... [--list] [names...]
          --quick            smaller sizes, fewer rounds and samples, for a fast look (results in <results>/quick)
          --results DIR      where results files go (default: bench/results of this repository)
          --after-seed-sql   EXPERIMENT: run SQL (e.g. CREATE INDEX ...) on the app's database after seeding;
                             the results then go to <results>/experiment
          --list             list the benchmarks
          names              benchmarks to run (default: all, which also writes the combined summary.md)
        """;

    public static async Task<int> Main(string[] args)
    {
        var quick = false;
        string? results = null;
        var afterSeed = new List<string>();
        var names = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--results" when i + 1 < args.Length:
                    results = args[++i];
                    break;
                case "--after-seed-sql" when i + 1 < args.Length:
                    afterSeed.Add(args[++i]);
                    break;
                case "--list":
                    foreach (var b in All)
                        Console.WriteLine($"{b.Name,-12} {b.Description}");
                    return 0;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                case var option when option.StartsWith('-'):
                    Console.Error.WriteLine($"Unknown option {option}.\n{Usage}");
                    return 2;
                default:
                    names.Add(args[i]);
                    break;
            }
        }

        var unknown = names.Where(n => All.All(b => b.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown benchmark {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(b => b.Name))}.");
            return 2;
        }
        var selected = names.Count == 0 ? All : All.Where(b => names.Contains(b.Name)).ToArray();
        var options = new BenchOptions(quick, Path.GetFullPath(results ?? DefaultResultsDirectory()), afterSeed);
        // WebApplicationFactory finds the app's content root (src/Recruiting.Web) through the MvcTestingAppManifest.json
        // that the build puts next to this program, looked up in the working directory, as a test runner would have it.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var summary = new List<string>();
        var combined = new CombinedReport(options, DateTimeOffset.UtcNow);
        foreach (var benchmark in selected)
        {
            Console.WriteLine($"== {benchmark.Name}{(quick ? " (quick)" : "")}: {benchmark.Description}");
            var clock = Stopwatch.StartNew();
            try
            {
                var outcome = await benchmark.RunAsync(options, cancel.Token);
                combined.Add(benchmark, outcome, clock.Elapsed);
                summary.Add($"{benchmark.Name}: {(outcome.Misses.Count == 0 ? "all cases meet their targets" : $"MISS in {outcome.Misses.Count} case(s): {string.Join("; ", outcome.Misses)}")}" +
                            $" ({clock.Elapsed.TotalSeconds:0} s) -> {outcome.ResultsFile}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.Error.WriteLine($"{benchmark.Name} FAILED after {clock.Elapsed.TotalSeconds:0} s: {e}");
                return 1;
            }
        }
        Console.WriteLine();
        foreach (var line in summary)
            Console.WriteLine(line);
        if (names.Count == 0)
        {
            var file = await combined.WriteAsync(cancel.Token);
            Console.WriteLine($"every benchmark in {combined.Elapsed.TotalMinutes:0.0} min -> {file}");
        }
        return 0;
    }

    /// <summary>bench/results next to this project's folder, found from the working directory upwards.</summary>
    private static string DefaultResultsDirectory()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Recruiting.sln")))
                return Path.Combine(dir.FullName, "bench", "results");
        return Path.Combine(Environment.CurrentDirectory, "bench-results");
    }
}
