using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Review;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>
/// Looks inside SQLite's name-search index (FTS5, trigram tokenizer): which of a name's trigrams its stored segments
/// still hold that no current applicant's name explains. Empty means the index keeps no trace of that name.
/// </summary>
internal static class NameSearchIndex
{
    public static async Task<IReadOnlyList<string>> TracesOfAsync(PortalFactory portal, string name)
    {
        if (PortalFactory.OnPostgreSql)
            return []; // PostgreSQL's trigram index is an ordinary index on Applicants: it goes with the row.
        return await portal.WithDbAsync(async db =>
        {
            var current = (await db.Applicants.Select(a => a.FullName).ToListAsync()).SelectMany(Trigrams).ToHashSet();
            var wanted = Trigrams(name).Where(t => !current.Contains(t)).Distinct().ToList();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            // The index must still agree with Applicants, row by row ('integrity-check' with rank 1 compares the two).
            await ExecuteAsync(connection, $"""INSERT INTO "{ApplicantNameSearch.Table}"("{ApplicantNameSearch.Table}", rank) VALUES ('integrity-check', 1)""");
            // The index's segments, byte by byte: FTS5 without secure-delete only marks a deleted name's trigrams as
            // deleted and keeps them in these blocks until a merge; with it they are gone at once.
            var blocks = new List<byte[]>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"""SELECT block FROM "{ApplicantNameSearch.Table}_data" WHERE typeof(block) = 'blob'""";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    blocks.Add((byte[])reader.GetValue(0));
            }
            var left = wanted.Where(t => blocks.Any(b => b.AsSpan().IndexOf(Encoding.UTF8.GetBytes(t)) >= 0)).ToList();
            return (IReadOnlyList<string>)left;
        });
    }

    private static IEnumerable<string> Trigrams(string name)
    {
        var lower = name.ToLowerInvariant();
        for (var i = 0; i + 3 <= lower.Length; i++)
            yield return lower.Substring(i, 3);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
