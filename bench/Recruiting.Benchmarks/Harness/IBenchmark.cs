namespace Recruiting.Benchmarks.Harness;

/// <summary>One benchmark, selected by <see cref="Name"/> on the command line (<c>bench/run [--quick] [names...]</c>).</summary>
public interface IBenchmark
{
    /// <summary>Lower-case name used on the command line and in the results file name.</summary>
    string Name { get; }

    /// <summary>One line for <c>--list</c>.</summary>
    string Description { get; }

    /// <summary>Runs, prints a table and writes its results file; throws when a check fails.</summary>
    Task<BenchmarkOutcome> RunAsync(BenchOptions options, CancellationToken cancellationToken);
}

/// <summary>What the command line asked for, shared by every benchmark.</summary>
public sealed record BenchOptions(bool Quick, string ResultsDirectory, IReadOnlyList<string> AfterSeedSql)
{
    /// <summary>Set when the run applied experimental SQL to the app's database: its results are not the app's own figures.</summary>
    public bool IsExperiment => AfterSeedSql.Count > 0;

    /// <summary>
    /// <c>&lt;results&gt;/&lt;yyyy-MM-dd&gt;-&lt;name&gt;.md</c>; a quick run adds <c>-quick</c> and an experiment
    /// <c>-experiment</c>, so that neither overwrites the day's full figures.
    /// </summary>
    public string ResultsFile(string name, DateTimeOffset startedAt) =>
        Path.Combine(ResultsDirectory,
            $"{startedAt.UtcDateTime:yyyy-MM-dd}-{name}{(Quick ? "-quick" : "")}{(IsExperiment ? "-experiment" : "")}.md");
}

/// <summary>
/// How a benchmark ended: where it wrote its results, which cases missed their targets, and its headline figures for
/// the combined results file of a run of every benchmark.
/// </summary>
public sealed record BenchmarkOutcome(string ResultsFile, IReadOnlyList<string> Misses, IReadOnlyList<Figure> Figures);

/// <summary>
/// One headline figure: its median and spread (the spread says what it is, e.g. "p25–p75" or "min–max of 5 rounds"),
/// the bare baseline measured in the same run where one applies, the ratio against it, the target and whether it was met
/// (<c>null</c>: recorded beside a figure with a target, no target of its own). Values are formatted with their unit by the
/// benchmark that measured them.
/// </summary>
public sealed record Figure(
    string Name,
    string Median,
    string Spread,
    string? Baseline,
    string? Ratio,
    string Target,
    bool? Pass,
    string? Note = null);
