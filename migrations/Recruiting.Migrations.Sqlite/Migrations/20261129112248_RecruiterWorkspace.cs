using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recruiting.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RecruiterWorkspace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Applications_JobPostingId_Status",
                table: "Applications");

            migrationBuilder.AddColumn<bool>(
                name: "InTalentPool",
                table: "Applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsRestricted",
                table: "Applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "OnLegalHold",
                table: "Applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "WithdrawnAt",
                table: "Applications",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AccessLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActorUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActorRole = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DocumentKind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Notes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuthorUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EditedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notes_Applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "Applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PostingAssignments",
                columns: table => new
                {
                    JobPostingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecruiterUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssignedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PostingAssignments", x => new { x.JobPostingId, x.RecruiterUserId });
                    table.ForeignKey(
                        name: "FK_PostingAssignments_AspNetUsers_RecruiterUserId",
                        column: x => x.RecruiterUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PostingAssignments_JobPostings_JobPostingId",
                        column: x => x.JobPostingId,
                        principalTable: "JobPostings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Applications_JobPostingId_ApplicantId",
                table: "Applications",
                columns: new[] { "JobPostingId", "ApplicantId" });

            migrationBuilder.CreateIndex(
                name: "IX_Applications_JobPostingId_Status_SubmittedAt_Id_IsRestricted",
                table: "Applications",
                columns: new[] { "JobPostingId", "Status", "SubmittedAt", "Id", "IsRestricted" });

            migrationBuilder.CreateIndex(
                name: "IX_Applications_JobPostingId_SubmittedAt_Id_IsRestricted",
                table: "Applications",
                columns: new[] { "JobPostingId", "SubmittedAt", "Id", "IsRestricted" });

            migrationBuilder.CreateIndex(
                name: "IX_Applicants_Email",
                table: "Applicants",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_ApplicantId",
                table: "AccessLog",
                column: "ApplicantId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_ApplicationId_At",
                table: "AccessLog",
                columns: new[] { "ApplicationId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Notes_ApplicationId",
                table: "Notes",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_PostingAssignments_RecruiterUserId",
                table: "PostingAssignments",
                column: "RecruiterUserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccessLog");

            migrationBuilder.DropTable(
                name: "Notes");

            migrationBuilder.DropTable(
                name: "PostingAssignments");

            migrationBuilder.DropIndex(
                name: "IX_Applications_JobPostingId_ApplicantId",
                table: "Applications");

            migrationBuilder.DropIndex(
                name: "IX_Applications_JobPostingId_Status_SubmittedAt_Id_IsRestricted",
                table: "Applications");

            migrationBuilder.DropIndex(
                name: "IX_Applications_JobPostingId_SubmittedAt_Id_IsRestricted",
                table: "Applications");

            migrationBuilder.DropIndex(
                name: "IX_Applicants_Email",
                table: "Applicants");

            migrationBuilder.DropColumn(
                name: "InTalentPool",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "IsRestricted",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "OnLegalHold",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "WithdrawnAt",
                table: "Applications");

            migrationBuilder.CreateIndex(
                name: "IX_Applications_JobPostingId_Status",
                table: "Applications",
                columns: new[] { "JobPostingId", "Status" });
        }
    }
}
