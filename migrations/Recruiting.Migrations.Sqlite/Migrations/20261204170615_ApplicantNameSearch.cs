using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recruiting.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ApplicantNameSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Name search through a trigram index: an external-content FTS5 table over Applicants.FullName (the names
            // themselves stay only in Applicants), keyed by the Applicants rowid, which plain deletes and updates keep.
            // A later migration that rebuilds Applicants (copy, drop, rename) drops these triggers and renumbers the
            // rowids: it must create them again and run 'rebuild'.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ApplicantNames" USING fts5("FullName", content='Applicants', tokenize='trigram');
                """);
            // secure-delete: a deleted or changed name's tokens are removed from the index, not only marked deleted,
            // so nothing of an erased applicant's name waits in the shadow tables for the next merge.
            migrationBuilder.Sql("""
                INSERT INTO "ApplicantNames"("ApplicantNames", rank) VALUES ('secure-delete', 1);
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ApplicantNames"("ApplicantNames") VALUES ('rebuild');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Applicants_Names_Insert" AFTER INSERT ON "Applicants" BEGIN
                    INSERT INTO "ApplicantNames"(rowid, "FullName") VALUES (new.rowid, new."FullName");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Applicants_Names_Update" AFTER UPDATE OF "FullName" ON "Applicants" BEGIN
                    INSERT INTO "ApplicantNames"("ApplicantNames", rowid, "FullName") VALUES ('delete', old.rowid, old."FullName");
                    INSERT INTO "ApplicantNames"(rowid, "FullName") VALUES (new.rowid, new."FullName");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Applicants_Names_Delete" AFTER DELETE ON "Applicants" BEGIN
                    INSERT INTO "ApplicantNames"("ApplicantNames", rowid, "FullName") VALUES ('delete', old.rowid, old."FullName");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Applicants_Names_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER "Applicants_Names_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER "Applicants_Names_Insert";""");
            migrationBuilder.Sql("""DROP TABLE "ApplicantNames";""");
        }
    }
}
