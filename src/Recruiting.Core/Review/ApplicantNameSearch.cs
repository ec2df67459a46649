using System.Text;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;

namespace Recruiting.Core.Review;

/// <summary>
/// Finds applicants whose name contains a term, case-insensitively, through a trigram index instead of reading every
/// name: on SQLite the FTS5 table <see cref="Table"/> (trigram tokenizer, kept in step with Applicants by triggers so
/// every write path, bulk ones included, updates it; secure-delete on so an erased or corrected name leaves no
/// tokens behind), on PostgreSQL a pg_trgm GIN index on "FullName" that ILIKE uses. Both are made by migrations.
/// A trigram index cannot answer a term shorter than three characters; such a term reads the names as before.
/// </summary>
public static class ApplicantNameSearch
{
    public const string Table = "ApplicantNames";
    public const int ShortestIndexedTerm = 3;

    public static IQueryable<Guid> Matching(RecruitingDbContext db, string term)
    {
        if (term.EnumerateRunes().Count() < ShortestIndexedTerm)
        {
            var lower = term.ToLowerInvariant();
            return db.Applicants.Where(p => p.FullName.ToLower().Contains(lower)).Select(p => p.Id);
        }
        if (db.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            // A quoted FTS5 string is one phrase: with the trigram tokenizer, a contiguous substring of the name.
            var phrase = "\"" + term.Replace("\"", "\"\"") + "\"";
            return db.Database.SqlQuery<Guid>(
                $"""SELECT "Id" AS "Value" FROM "Applicants" WHERE rowid IN (SELECT rowid FROM "ApplicantNames" WHERE "ApplicantNames" MATCH {phrase})""");
        }
        return db.Database.SqlQuery<Guid>(
            $"""SELECT "Id" AS "Value" FROM "Applicants" WHERE "FullName" ILIKE {"%" + EscapeLike(term) + "%"}""");
    }

    /// <summary>LIKE's wildcards in the term are meant literally; backslash is PostgreSQL's default escape.</summary>
    private static string EscapeLike(string term) =>
        new StringBuilder(term).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").ToString();
}
