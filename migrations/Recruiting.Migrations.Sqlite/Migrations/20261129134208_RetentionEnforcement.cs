using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recruiting.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RetentionEnforcement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ApplicationsDeletedAt",
                table: "Applicants",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_RetentionRuns_Running",
                table: "RetentionRuns",
                column: "Status",
                unique: true,
                filter: "\"Status\" = 'Running'");

            migrationBuilder.CreateIndex(
                name: "IX_Applicants_ApplicationsDeletedAt",
                table: "Applicants",
                column: "ApplicationsDeletedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RetentionRuns_Running",
                table: "RetentionRuns");

            migrationBuilder.DropIndex(
                name: "IX_Applicants_ApplicationsDeletedAt",
                table: "Applicants");

            migrationBuilder.DropColumn(
                name: "ApplicationsDeletedAt",
                table: "Applicants");
        }
    }
}
