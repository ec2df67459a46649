using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Recruiting.Benchmarks.Retention;

/// <summary>
/// Writes the retention benchmark's data straight into the app's SQLite file (one transaction, prepared commands, the
/// column types EF uses), as the candidates benchmark does, and CV blobs straight into the filesystem blob store's folder.
/// </summary>
public sealed class RetentionSeed : IDisposable
{
    private static readonly DateTimeOffsetToBinaryConverter Instant = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommand _user, _userRole, _applicant, _application, _document;
    private readonly string _jobseekerRole;
    private readonly Random _random = new(20261129);
    private readonly string _letter;

    public RetentionSeed(string databaseFile)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile, Mode = SqliteOpenMode.ReadWrite, Pooling = false, ForeignKeys = true,
        }.ToString());
        _connection.Open();
        Execute("PRAGMA cache_size = -2000000");
        using (var role = _connection.CreateCommand())
        {
            role.CommandText = "SELECT \"Id\" FROM \"AspNetRoles\" WHERE \"NormalizedName\" = 'JOBSEEKER'";
            _jobseekerRole = role.ExecuteScalar() as string ?? throw new InvalidOperationException("No Jobseeker role.");
        }
        _transaction = _connection.BeginTransaction();
        _user = Prepare("AspNetUsers", "Id", "CreatedAt", "UserName", "NormalizedUserName", "Email", "NormalizedEmail",
            "EmailConfirmed", "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled",
            "AccessFailedCount");
        _userRole = Prepare("AspNetUserRoles", "UserId", "RoleId");
        _applicant = Prepare("Applicants", "Id", "UserId", "FullName", "Email", "Phone", "Address", "CreatedAt", "UpdatedAt");
        _application = Prepare("Applications", "Id", "ApplicantId", "JobPostingId", "Status", "SubmittedAt", "DecisionAt",
            "CoverLetter", "NoticeVersion", "LegalBasis", "DeletionDueAt", "DeletionOutcome", "InTalentPool", "IsRestricted",
            "OnLegalHold", "WithdrawnAt");
        _document = Prepare("Documents", "Id", "ApplicationId", "Kind", "BlobName", "OriginalFileName", "ContentType", "Size",
            "Sha256", "UploadedAt");
        _letter = string.Concat(Enumerable.Repeat("I would welcome the chance to tell you more about my experience. ", 4)).Trim();
    }

    public static string Stored(Guid id) => id.ToString().ToUpperInvariant();

    public static long Stored(DateTimeOffset instant) => (long)Instant.ConvertToProvider(instant)!;

    /// <summary>A jobseeker account and profile, created <paramref name="createdAt"/>; returns the applicant id.</summary>
    public string Applicant(int n, DateTimeOffset createdAt)
    {
        var userId = Stored(Guid.NewGuid());
        var applicantId = Stored(Guid.NewGuid());
        var email = $"bench.{n}@example.test";
        var created = Stored(createdAt);
        Run(_user, userId, created, email, email.ToUpperInvariant(), email, email.ToUpperInvariant(), true,
            Convert.ToHexString(Guid.NewGuid().ToByteArray()), Guid.NewGuid().ToString(), false, false, true, 0);
        Run(_userRole, userId, _jobseekerRole);
        Run(_applicant, applicantId, userId, $"Bench Applicant {n}", email, "+47 400 00 000", null, created, created);
        return applicantId;
    }

    /// <summary>An application; <paramref name="dueAt"/> null while no retention clock runs.</summary>
    public string Application(string applicantId, Guid postingId, string status, DateTimeOffset submittedAt, DateTimeOffset? decisionAt,
        DateTimeOffset? dueAt, string? outcome)
    {
        var id = Stored(Guid.NewGuid());
        Run(_application, id, applicantId, Stored(postingId), status, Stored(submittedAt), decisionAt is { } d ? Stored(d) : null,
            _letter, "2026-11-29", "Agreement", dueAt is { } due ? Stored(due) : null, outcome, false, false, false, null);
        return id;
    }

    /// <summary>A CV: its row, and its blob written where the filesystem blob store keeps it.</summary>
    public void Cv(string applicationId, string blobRoot, byte[] bytes, DateTimeOffset at)
    {
        var blobName = $"documents/{Guid.NewGuid():N}";
        File.WriteAllBytes(Path.Combine(blobRoot, blobName), bytes);
        Run(_document, Stored(Guid.NewGuid()), applicationId, "Cv", blobName, "cv.pdf", "application/pdf", bytes.LongLength,
            Convert.ToHexStringLower(SHA256.HashData(bytes)), Stored(at));
    }

    public Random Random => _random;

    public void Commit()
    {
        _transaction.Commit();
        Execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    public void Dispose()
    {
        foreach (var command in new[] { _user, _userRole, _applicant, _application, _document })
            command.Dispose();
        _transaction.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string table, params string[] columns)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
                              $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < columns.Length; i++)
            command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }
}
