using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recruiting.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ApplicantNameSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Name search is ILIKE '%term%', which a trigram GIN index answers without reading every name.
            // pg_trgm is a trusted extension: the database owner may create it without being a superuser.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("""
                CREATE INDEX "IX_Applicants_FullName_Trigram" ON "Applicants" USING gin ("FullName" gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Applicants_FullName_Trigram";""");
        }
    }
}
