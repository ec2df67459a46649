using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recruiting.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class RetentionPolicyNoDecisionAfterReceipt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "NoDecisionMonthsAfterReceipt",
                table: "RetentionPolicies",
                type: "integer",
                nullable: false,
                defaultValue: 6); // saved versions get the settings' default for the new period

            // Undecided applications now have a clock from receipt: drop their stored dates so the next retention run,
            // which dates every application stored without one, computes them under the new rule.
            migrationBuilder.Sql(
                "UPDATE \"Applications\" SET \"DeletionDueAt\" = NULL, \"DeletionOutcome\" = NULL "
                + "WHERE \"Status\" IN ('Received', 'Screening', 'Interview', 'Offer')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NoDecisionMonthsAfterReceipt",
                table: "RetentionPolicies");
        }
    }
}
