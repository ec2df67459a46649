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
    /// <c>&lt;results&gt;/&lt;name&gt;.md</c>, <c>&lt;results&gt;/quick/&lt;name&gt;.md</c> for a quick run and
    /// <c>&lt;results&gt;/experiment/&lt;name&gt;.md</c> for an experiment: stable names, so that each run replaces the
    /// previous run of its kind (git keeps the history) and neither a quick run nor an experiment overwrites the full
    /// figures. Creates the folder and removes the dated files of this benchmark an earlier version of the tool wrote.
    /// </summary>
    public string ResultsFile(string name)
    {
        var directory = ResultsFolder;
        Directory.CreateDirectory(directory);
        SizedResults.RemoveDatedFiles(directory, name);
        return Path.Combine(directory, name + ".md");
    }

    /// <summary>Where this kind of run writes: the results folder, or its <c>quick/</c> or <c>experiment/</c> subfolder.</summary>
    public string ResultsFolder =>
        IsExperiment ? Path.Combine(ResultsDirectory, "experiment") : Quick ? Path.Combine(ResultsDirectory, "quick") : ResultsDirectory;
}

/// <summary>
/// How a benchmark ended: where it wrote its results, which cases missed their targets, and its headline figures for
/// the combined results file of a run of every benchmark.
/// </summary>
public sealed record BenchmarkOutcome(string ResultsFile, IReadOnlyList<string> Misses, IReadOnlyList<Figure> Figures)
{
    /// <summary>The PNG plots written beside <see cref="ResultsFile"/> (file names), linked from the combined file.</summary>
    public IReadOnlyList<string> Plots { get; init; } = [];
}

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
