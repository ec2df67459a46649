using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recruiting.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class RequestChannelsAndVisitorRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "Requests",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                // Every request before channels existed was made in the portal.
                defaultValue: "Portal");

            migrationBuilder.AddColumn<string>(
                name: "IdentityVerification",
                table: "Requests",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "VisitorRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    Type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VisitorRequests", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_VisitorRequests_Email",
                table: "VisitorRequests",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_VisitorRequests_ExpiresAt",
                table: "VisitorRequests",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "VisitorRequests");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "IdentityVerification",
                table: "Requests");
        }
    }
}
