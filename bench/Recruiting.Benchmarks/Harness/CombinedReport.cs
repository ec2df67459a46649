using System.Diagnostics;
using System.Text;

namespace Recruiting.Benchmarks.Harness;

/// <summary>
/// The results file of a run of every benchmark, <c>summary.md</c> in the run's results folder (see
/// <see cref="BenchOptions.ResultsFolder"/>): the machine, and every headline figure at each size with its median, spread,
/// baseline, ratio, target and PASS/MISS, linking each benchmark's own file and plots for the detail.
/// </summary>
public sealed class CombinedReport(BenchOptions options, DateTimeOffset startedAt)
{
    private readonly MachineInfo _machine = MachineInfo.Read();
    private readonly string _loadBefore = MachineInfo.LoadAverage();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(IBenchmark Benchmark, BenchmarkOutcome Outcome, TimeSpan Took)> _done = [];

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Add(IBenchmark benchmark, BenchmarkOutcome outcome, TimeSpan took) => _done.Add((benchmark, outcome, took));

    public async Task<string> WriteAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.ResultsFolder);
        // The dated combined files an earlier version of the tool wrote: only the latest run of each kind stays.
        foreach (var dated in Directory.GetFiles(options.ResultsFolder, "????-??-??*.md")
                     .Where(f => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(f), @"^\d{4}-\d{2}-\d{2}(-quick|-experiment)*\.md$")))
            File.Delete(dated);
        var file = Path.Combine(options.ResultsFolder, "summary.md");
        await File.WriteAllTextAsync(file, Render(), cancellationToken);
        return file;
    }

    private string Render()
    {
        var figures = _done.SelectMany(d => d.Outcome.Figures.Select(f => (d.Benchmark, Figure: f))).ToList();
        var misses = figures.Count(f => f.Figure.Pass == false);
        var targeted = figures.Count(f => f.Figure.Pass is not null);
        var b = new StringBuilder();
        b.AppendLine($"# Benchmarks{(options.Quick ? " (quick)" : "")}, {startedAt.UtcDateTime:yyyy-MM-dd}");
        b.AppendLine();
        if (options.IsExperiment)
            b.AppendLine("**EXPERIMENT**: this run applied `--after-seed-sql` to the app's database; these are not the app's own figures.\n");
        b.AppendLine($"- Command: `bench/run{(options.Quick ? " --quick" : "")}` (every benchmark), started {startedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, " +
                     $"took **{_clock.Elapsed.TotalMinutes:0.0} min** (build not included).");
        b.AppendLine($"- Machine: **{_machine.Cores} cores** ({_machine.Cpu}), **memory {_machine.Memory}**; {_machine.Os}, {_machine.Kernel}; " +
                     $"{_machine.DotNet}, GC {_machine.Gc}.");
        b.AppendLine($"- Load average (1, 5, 15 min) before: {_loadBefore}; after: {MachineInfo.LoadAverage()}. The machine is shared " +
                     "(other builds and test runs come and go), so figures are medians and each spread is given.");
        b.AppendLine(options.Quick
            ? "- **Quick run**: smaller sizes and fewer rounds than the targets name (see *Note*); a PASS here is indicative only."
            : "- Full run: the sizes the targets name.");
        b.AppendLine();
        b.AppendLine(misses == 0
            ? $"**All {targeted} figures with a target meet it.**"
            : $"**{targeted - misses} of {targeted} figures with a target meet it; {misses} MISS:** " +
              string.Join("; ", figures.Where(f => f.Figure.Pass == false).Select(f => $"{f.Benchmark.Name}: {f.Figure.Name}")) + ".");
        b.AppendLine();
        b.AppendLine("| Benchmark | Figure | Median | Spread | Baseline (median) | Ratio to baseline | Target | Result | Note |");
        b.AppendLine("|---|---|---:|---|---:|---:|---|---|---|");
        foreach (var (benchmark, f) in figures)
            b.AppendLine($"| {benchmark.Name} | {f.Name} | {f.Median} | {f.Spread} | {f.Baseline ?? "–"} | {f.Ratio ?? "–"} | {f.Target} | " +
                         $"{f.Pass switch { true => "PASS", false => "**MISS**", null => "recorded" }} | {f.Note ?? ""} |");
        b.AppendLine();
        b.AppendLine("## Benchmarks in this run");
        b.AppendLine();
        b.AppendLine("| Benchmark | What it measures | Took | Detail | Plots |");
        b.AppendLine("|---|---|---:|---|---|");
        foreach (var (benchmark, outcome, took) in _done)
            b.AppendLine($"| {benchmark.Name} | {benchmark.Description} | {took.TotalMinutes:0.0} min | " +
                         $"[{Path.GetFileName(outcome.ResultsFile)}]({Path.GetFileName(outcome.ResultsFile)}), " +
                         $"[CSV]({Path.GetFileNameWithoutExtension(outcome.ResultsFile)}.csv), " +
                         $"[samples]({Path.GetFileNameWithoutExtension(outcome.ResultsFile)}-samples.csv) | " +
                         $"{string.Join(" ", outcome.Plots.Select(p => $"[{p}]({p})"))} |");
        b.AppendLine();
        foreach (var (benchmark, outcome, _) in _done)
            foreach (var plot in outcome.Plots)
                b.AppendLine($"![{benchmark.Name}: {plot}]({plot})");
        b.AppendLine();
        b.AppendLine("Every benchmark checks its work before it reports a time (the applications, documents and blobs exist; the " +
                     "deletions happened; every page showed the right rows); a failed check ends the run without a results file. " +
                     "A missed target is reported here as MISS. How each one works: [bench/README.md](" + (options.ResultsFolder == options.ResultsDirectory ? "../README.md" : "../../README.md") + ").");
        return b.ToString();
    }
}
