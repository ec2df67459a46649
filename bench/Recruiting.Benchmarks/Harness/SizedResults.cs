using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Recruiting.Benchmarks.Harness;

/// <summary>
/// One benchmark's figures at each of its sizes, written beside its markdown file <c>&lt;name&gt;.md</c>:
/// <c>&lt;name&gt;.csv</c> (one row per size and figure: median, spread, baseline, ratio, target, PASS/MISS),
/// <c>&lt;name&gt;-samples.csv</c> (every timed sample) and a PNG plot of the median cost against size, portal beside
/// baseline (<c>&lt;name&gt;.png</c>, or <c>&lt;name&gt;-&lt;plot&gt;.png</c> when the benchmark draws more than one).
/// </summary>
public sealed partial class SizedResults(string benchmark, string sizeAxis)
{
    /// <summary>
    /// One figure at one size. <paramref name="Plot"/> names the plot it is drawn in (figures of different units go to
    /// different plots); <paramref name="Series"/> is its line in that plot, and its baseline is drawn dashed beside it.
    /// <paramref name="Pass"/> is null where the figure is recorded without a target of its own.
    /// </summary>
    public sealed record Row(
        string Plot, string Unit, int SizeIndex, string Size, string Series, double Median, string Spread, double? Baseline,
        string Target, bool? Pass)
    {
        /// <summary>Median over baseline; for throughput above 1 is better, for time below 1.</summary>
        public double? Ratio => Baseline is > 0 ? Median / Baseline : null;

        public string Result => Pass switch { true => "PASS", false => "MISS", null => "recorded" };
    }

    private readonly List<Row> _rows = [];
    private readonly List<(string Size, string Series, string Unit, double Value)> _samples = [];

    public IReadOnlyList<Row> Rows => _rows;

    public void Add(Row row) => _rows.Add(row);

    /// <summary>Every timed sample of one series at one size, in the order they were taken.</summary>
    public void Samples(string size, string series, string unit, IEnumerable<double> values)
    {
        foreach (var value in values)
            _samples.Add((size, series, unit, value));
    }

    /// <summary>Writes the CSVs and plots beside <paramref name="markdownFile"/>; returns the plots' file names.</summary>
    public async Task<IReadOnlyList<string>> WriteAsync(string markdownFile, CancellationToken cancellationToken)
    {
        var stem = Path.Combine(Path.GetDirectoryName(markdownFile)!, Path.GetFileNameWithoutExtension(markdownFile));
        var csv = new StringBuilder("size,series,unit,median,spread,baseline,ratio,target,result\n");
        foreach (var r in _rows)
            csv.AppendLine(string.Join(',', Csv(r.Size), Csv(r.Series), Csv(r.Unit), Number(r.Median), Csv(r.Spread),
                r.Baseline is { } b ? Number(b) : "", r.Ratio is { } q ? Number(q) : "", Csv(r.Target), r.Result));
        await File.WriteAllTextAsync(stem + ".csv", csv.ToString(), cancellationToken);

        var samples = new StringBuilder("size,series,unit,sample,value\n");
        foreach (var group in _samples.GroupBy(s => (s.Size, s.Series)))
        {
            var i = 0;
            foreach (var s in group)
                samples.AppendLine(string.Join(',', Csv(s.Size), Csv(s.Series), Csv(s.Unit), (++i).ToString(CultureInfo.InvariantCulture), Number(s.Value)));
        }
        await File.WriteAllTextAsync(stem + "-samples.csv", samples.ToString(), cancellationToken);

        var plots = _rows.Select(r => r.Plot).Distinct().ToList();
        var files = new List<string>();
        foreach (var plot in plots)
        {
            var file = plots.Count == 1 ? stem + ".png" : $"{stem}-{Slug(plot)}.png";
            Draw(plot, _rows.Where(r => r.Plot == plot).ToList(), file);
            files.Add(Path.GetFileName(file));
        }
        return files;
    }

    /// <summary>The rows as a markdown table: each size's figure next to its baseline, ratio and target.</summary>
    public string Table(Func<double, string> format)
    {
        var b = new StringBuilder();
        b.AppendLine($"| {sizeAxis} | Figure | Median | Spread | Baseline | Ratio | Target | Result |");
        b.AppendLine("|---:|---|---:|---|---:|---:|---|---|");
        foreach (var r in _rows.OrderBy(r => r.Plot).ThenBy(r => r.Series).ThenBy(r => r.SizeIndex))
            b.AppendLine($"| {r.Size} | {r.Series} | {format(r.Median)} {r.Unit} | {r.Spread} | " +
                         $"{(r.Baseline is { } v ? $"{format(v)} {r.Unit}" : "–")} | {(r.Ratio is { } q ? q.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–")} | " +
                         $"{r.Target} | {(r.Pass == false ? "**MISS**" : r.Result)} |");
        return b.ToString();
    }

    /// <summary>
    /// Removes the dated files an earlier version of the tool wrote for this benchmark (<c>yyyy-MM-dd-&lt;name&gt;*</c>):
    /// only the latest run of each kind stays; git keeps the history.
    /// </summary>
    public static void RemoveDatedFiles(string directory, string name)
    {
        if (!Directory.Exists(directory))
            return;
        var dated = new Regex($"^\\d{{4}}-\\d{{2}}-\\d{{2}}-{Regex.Escape(name)}(-[a-z-]+)?\\.(md|csv|png)$");
        foreach (var file in Directory.GetFiles(directory).Where(f => dated.IsMatch(Path.GetFileName(f))))
            File.Delete(file);
    }

    private void Draw(string title, List<Row> rows, string file)
    {
        var plot = new ScottPlot.Plot();
        var sizes = rows.OrderBy(r => r.SizeIndex).Select(r => (r.SizeIndex, r.Size)).Distinct().ToList();
        var series = rows.Select(r => r.Series).Distinct().ToList();
        for (var i = 0; i < series.Count; i++)
        {
            var points = rows.Where(r => r.Series == series[i]).OrderBy(r => r.SizeIndex).ToList();
            var color = ScottPlot.Palette.Default.GetColor(i);
            var portal = plot.Add.Scatter(points.Select(p => (double)p.SizeIndex).ToArray(), points.Select(p => p.Median).ToArray());
            portal.LegendText = series[i];
            portal.Color = color;
            portal.LineWidth = 2;
            portal.MarkerSize = 7;
            var withBaseline = points.Where(p => p.Baseline is not null).ToList();
            if (withBaseline.Count == 0)
                continue;
            var bare = plot.Add.Scatter(withBaseline.Select(p => (double)p.SizeIndex).ToArray(), withBaseline.Select(p => p.Baseline!.Value).ToArray());
            bare.LegendText = series[i] + " (baseline)";
            bare.Color = color;
            bare.LinePattern = ScottPlot.LinePattern.Dashed;
            bare.MarkerShape = ScottPlot.MarkerShape.OpenCircle;
            bare.MarkerSize = 7;
        }
        plot.Axes.Bottom.SetTicks(sizes.Select(s => (double)s.SizeIndex).ToArray(), sizes.Select(s => s.Size).ToArray());
        plot.Axes.Bottom.Label.Text = sizeAxis;
        plot.Axes.Left.Label.Text = $"median ({rows[0].Unit})";
        plot.Title($"{benchmark}: {title}");
        plot.Axes.AutoScale();
        var top = rows.Max(r => Math.Max(r.Median, r.Baseline ?? 0));
        plot.Axes.SetLimitsY(0, top * 1.1);
        plot.Axes.SetLimitsX(sizes[0].SizeIndex - 0.3, sizes[^1].SizeIndex + 0.3);
        plot.ShowLegend(ScottPlot.Edge.Right);
        plot.SavePng(file, 1200, 560);
    }

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private static string Slug(string text) => SlugCharacters().Replace(text.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugCharacters();
}
