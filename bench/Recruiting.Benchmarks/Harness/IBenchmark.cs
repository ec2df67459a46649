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

/// <summary>How a benchmark ended: where it wrote its results and which cases missed their targets.</summary>
public sealed record BenchmarkOutcome(string ResultsFile, IReadOnlyList<string> Misses);
