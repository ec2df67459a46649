namespace Recruiting.Benchmarks.Harness;

/// <summary>Summary of one case's timings in milliseconds.</summary>
public sealed record Stats(int Count, double Median, double P95, double Min, double Max)
{
    /// <summary>25th and 75th percentiles: the spread of the middle half.</summary>
    public double P25 { get; init; }

    public double P75 { get; init; }

    /// <summary>
    /// Percentiles by linear interpolation between closest ranks (the common "type 7" definition): with 30 samples
    /// p95 lies between the 28th and 29th fastest, with 200 between the 190th and 191st.
    /// </summary>
    public static Stats Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
            throw new ArgumentException("No samples.", nameof(milliseconds));
        var sorted = milliseconds.Order().ToArray();
        return new Stats(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95), sorted[0], sorted[^1])
        {
            P25 = Percentile(sorted, 0.25),
            P75 = Percentile(sorted, 0.75),
        };
    }

    public static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
