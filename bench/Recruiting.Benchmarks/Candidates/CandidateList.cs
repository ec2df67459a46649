using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Recruiting.Core.Applications;

namespace Recruiting.Benchmarks.Candidates;

/// <summary>What one page of the candidate list must show: the total and the ids of its rows, in order.</summary>
public sealed record ExpectedPage(int Total, int Page, IReadOnlyList<SeededApplication> Rows)
{
    public const int PageSize = 25;

    /// <summary>
    /// The oracle, computed from the seeded data: the same filter as CandidateDesk.ListAsync (status; search: an email
    /// prefix range when the text has an '@', else name contains or email prefix), newest first, pages of 25.
    /// </summary>
    public static ExpectedPage Of(IReadOnlyList<SeededApplication> newestFirst, int page, ApplicationStatus? status = null,
        string? search = null)
    {
        IEnumerable<SeededApplication> matching = newestFirst;
        if (status is { } s)
            matching = matching.Where(a => a.Status == s);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var lower = search.Trim().ToLowerInvariant();
            var upper = lower + "\uffff";
            bool EmailPrefix(SeededApplication a) =>
                string.CompareOrdinal(a.Email, lower) >= 0 && string.CompareOrdinal(a.Email, upper) < 0;
            matching = lower.Contains('@')
                ? matching.Where(EmailPrefix)
                : matching.Where(a => NameContains(a.FullName, lower) || EmailPrefix(a));
        }
        var all = matching.ToList();
        return new ExpectedPage(all.Count, page, all.Skip((page - 1) * PageSize).Take(PageSize).ToList());
    }

    /// <summary>
    /// A term of three characters or more is looked up in the name's trigram index, which folds case fully; a shorter
    /// one is compared with SQLite's lower(), which folds ASCII letters only. The oracle does what the database does.
    /// </summary>
    private static bool NameContains(string fullName, string lower) =>
        lower.EnumerateRunes().Count() >= 3
            ? fullName.ToLowerInvariant().Contains(lower, StringComparison.Ordinal)
            : SqliteLower(fullName).Contains(lower, StringComparison.Ordinal);

    /// <summary>SQLite's lower() folds ASCII letters only; the oracle does what the database does.</summary>
    private static string SqliteLower(string value) =>
        string.Create(value.Length, value, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + 32) : source[i];
        });
}

/// <summary>Reads a candidate list page as a person sees it: the "N candidates · page P of M" line and the table rows.</summary>
public sealed partial record CandidateListHtml(int Total, int Page, int PageCount, IReadOnlyList<CandidateListHtml.Row> Rows)
{
    private static readonly HtmlParser Parser = new();

    public sealed record Row(Guid ApplicationId, string FullName, string Email, string Status);

    public static CandidateListHtml Parse(string html)
    {
        var document = Parser.ParseDocument(html);
        var summary = document.QuerySelectorAll("p.text-muted").Select(p => SummaryLine().Match(p.TextContent))
                          .FirstOrDefault(m => m.Success)
                      ?? throw new InvalidOperationException("The page has no \"N candidates · page P of M\" line.");
        var rows = document.QuerySelectorAll("table.candidates tbody tr[data-application-id]").Select(tr =>
        {
            var cells = tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
            return new Row(Guid.Parse(tr.GetAttribute("data-application-id")!), cells[0], cells[1], cells[2]);
        }).ToList();
        return new CandidateListHtml(int.Parse(summary.Groups[1].Value), int.Parse(summary.Groups[2].Value),
            int.Parse(summary.Groups[3].Value), rows);
    }

    /// <summary>Throws unless the page shows exactly the expected total, page and rows.</summary>
    public void Check(ExpectedPage expected, string what)
    {
        if (Total != expected.Total)
            throw new InvalidOperationException($"{what}: the page says {Total} candidates, expected {expected.Total}.");
        if (Page != expected.Page)
            throw new InvalidOperationException($"{what}: the page says page {Page}, expected {expected.Page}.");
        if (Rows.Count != expected.Rows.Count)
            throw new InvalidOperationException($"{what}: {Rows.Count} rows, expected {expected.Rows.Count}.");
        for (var i = 0; i < Rows.Count; i++)
        {
            var (shown, seeded) = (Rows[i], expected.Rows[i]);
            if (shown.ApplicationId != Guid.Parse(seeded.Id) || shown.Email != seeded.Email || shown.FullName != seeded.FullName
                || shown.Status != seeded.Status.ToString())
                throw new InvalidOperationException(
                    $"{what}: row {i + 1} shows {shown.ApplicationId} {shown.FullName} <{shown.Email}> {shown.Status}, " +
                    $"expected {seeded.Id} {seeded.FullName} <{seeded.Email}> {seeded.Status}.");
        }
    }

    [GeneratedRegex(@"(\d+) candidates? · page (\d+) of (\d+)")]
    private static partial Regex SummaryLine();
}
