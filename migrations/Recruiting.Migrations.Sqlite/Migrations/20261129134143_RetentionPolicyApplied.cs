using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recruiting.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RetentionPolicyApplied : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AppliedAt",
                table: "RetentionPolicies",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AppliedAt",
                table: "RetentionPolicies");
        }
    }
}
