using Recruiting.Core.Retention;

namespace Recruiting.Web.ViewModels;

public sealed record RetentionRunsPage(IReadOnlyList<RetentionRunRow> Runs, IReadOnlyList<PostingStatisticRow> Statistics);
