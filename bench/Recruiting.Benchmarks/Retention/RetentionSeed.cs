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

    /// <summary>A document row (a CV or a further document) whose blob is <paramref name="blobName"/>.</summary>
    public void Document(string applicationId, string kind, string blobName, int size, string sha256, DateTimeOffset at)
    {
        Run(_document, Stored(Guid.NewGuid()), applicationId, kind, blobName, kind == "Cv" ? "cv.pdf" : "reference.pdf", "application/pdf",
            (long)size, sha256, Stored(at));
    }

    /// <summary>A new blob name where the filesystem blob store keeps documents.</summary>
    public static string NewBlobName() => $"documents/{Guid.NewGuid():N}";

    /// <summary>
    /// Writes <paramref name="bytes"/> to every blob of <paramref name="blobNames"/>, a few at a time (creating files is
    /// the kernel's work, so parallel writers keep seeding a million of them within minutes), then flushes them to disk
    /// so that no timed step pays for writing them back.
    /// </summary>
    public static void WriteBlobs(string blobRoot, IReadOnlyList<string> blobNames, byte[] bytes)
    {
        Parallel.ForEach(blobNames, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            name => File.WriteAllBytes(Path.Combine(blobRoot, name), bytes));
        using var sync = System.Diagnostics.Process.Start("sync");
        sync.WaitForExit();
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
