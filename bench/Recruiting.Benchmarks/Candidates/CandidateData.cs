using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Recruiting.Core.Applications;

namespace Recruiting.Benchmarks.Candidates;

/// <summary>One seeded application, as the list shows it and as the database sorts it.</summary>
public sealed record SeededApplication(
    string Id, string ApplicantId, string PostingId, string FullName, string Email, ApplicationStatus Status, long SubmittedAtStored);

/// <summary>
/// A deterministic, realistic population of applicants and applications, generated in memory, written to the app's
/// SQLite file in one transaction with prepared commands, and kept as the oracle the benchmark checks pages against.
/// </summary>
public sealed class CandidateData
{
    private static readonly DateTimeOffsetToBinaryConverter Instant = new();

    private static readonly string[] FirstNames =
    [
        "Ingrid", "Ole", "Kari", "Lars", "Anne", "Per", "Marit", "Jon", "Hilde", "Erik", "Silje", "Magnus", "Nora", "Henrik",
        "Ida", "Jonas", "Emma", "Sander", "Sara", "Mathias", "Thea", "Andreas", "Julie", "Kristian", "Maja", "Martin", "Ingeborg",
        "Tobias", "Sofie", "Eirik", "Hanna", "Sindre", "Vilde", "Fredrik", "Amalie", "Håkon", "Tuva", "Sigurd", "Åse", "Bjørn",
        "Aisha", "Mohammed", "Fatima", "Ali", "Ewa", "Piotr", "Agnieszka", "Tomasz", "Lina", "Omar",
        "Tora", "Trond", "Randi", "Geir", "Tone", "Knut", "Liv", "Rune", "Siri", "Stian", "Frida", "Vegard", "Ragna", "Even",
        "Maren", "Torstein", "Oda", "Halvard", "Kaja", "Aksel", "Yasmin", "Hassan", "Leila", "Yusuf", "Marta", "Jakub",
        "Katarzyna", "Pawel", "Selma", "Emir",
    ];

    private static readonly string[] MiddleNames =
    [
        "Marie", "Johan", "Elisabeth", "Andre", "Louise", "Kristoffer", "Sofie", "Alexander", "Helene", "Emil", "Karoline",
        "Olav", "Cecilie", "Nikolai", "Margrethe", "Petter", "Victoria", "Mikael", "Johanne", "Daniel", "Maria", "Aleksander",
        "Kristine", "Sebastian", "Camilla", "Benjamin", "Linnea", "Oskar", "Malin", "Filip", "Astrid", "Gustav", "Ragnhild",
        "Adrian", "Synne", "Elias", "Tiril", "Isak", "Madeleine", "Jakob",
    ];

    private static readonly string[] LastNames =
    [
        "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Karlsen",
        "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen", "Jacobsen", "Dahl",
        "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand",
        "Solberg", "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen", "Lie",
        "Amundsen", "Nguyen", "Rasmussen", "Ahmed", "Lunde", "Solheim", "Berntsen", "Moe", "Kowalski", "Nowak",
        "Bakke", "Holm", "Ali", "Knudsen", "Nygård", "Aas", "Myhre", "Hauge", "Sæther", "Tangen",
        "Haugland", "Brekke", "Ødegård", "Fredriksen", "Vik", "Sandvik", "Hovland", "Isaksen", "Eliassen", "Nielsen",
        "Ruud", "Birkeland", "Aasen", "Evensen", "Wold", "Hoel", "Tveit", "Nordby", "Lien", "Thorsen",
        "Rønning", "Engen", "Ali-Hassan", "Wiik", "Abdi", "Lorentzen", "Kaur", "Singh", "Wójcik", "Lewandowski",
        "Dalen", "Fjeld", "Bjerke", "Sunde", "Løken", "Grønli", "Steen", "Husby", "Hammer", "Torgersen",
    ];

    private static readonly string[] Domains = ["example.com", "example.net", "example.org", "mail.test", "post.test"];

    /// <summary>Status spread of a busy posting: most are new or rejected, few get far.</summary>
    private static readonly (ApplicationStatus Status, double Weight)[] StatusWeights =
    [
        (ApplicationStatus.Received, 0.34), (ApplicationStatus.Screening, 0.16), (ApplicationStatus.Interview, 0.07),
        (ApplicationStatus.Offer, 0.01), (ApplicationStatus.Hired, 0.005), (ApplicationStatus.Rejected, 0.38),
        (ApplicationStatus.Withdrawn, 0.035),
    ];

    private const string Prose =
        "I am writing to apply for this position. Over the last years I have worked in teams that build and run services " +
        "for many users, and I have learned to care about quality, clear communication and keeping personal data safe. " +
        "In my current role I am responsible for planning, follow-up and the daily work with colleagues and customers. " +
        "I enjoy solving problems together with others and I am used to working independently when that is needed. " +
        "I would welcome the chance to tell you more about my experience in an interview. Thank you for your time. ";

    private readonly List<Applicant> _applicants;

    private CandidateData(List<Applicant> applicants, List<SeededApplication> target, List<SeededApplication> other,
        string targetPostingId, string otherPostingId)
    {
        _applicants = applicants;
        ApplicantCount = applicants.Count;
        TargetPostingId = targetPostingId;
        OtherPostingId = otherPostingId;
        // The list's order: newest first, ties broken by id (both descending), exactly as SQLite compares the stored values.
        Target = target.OrderByDescending(a => a.SubmittedAtStored).ThenByDescending(a => a.Id, StringComparer.Ordinal).ToList();
        Other = other;
    }

    public string TargetPostingId { get; }
    public string OtherPostingId { get; }

    /// <summary>Applications on the benchmarked posting, in the list's default order (newest first).</summary>
    public IReadOnlyList<SeededApplication> Target { get; }

    /// <summary>Applications on a second posting, so that the posting filter has something to filter out.</summary>
    public IReadOnlyList<SeededApplication> Other { get; }

    public int ApplicantCount { get; }

    /// <summary>The value EF stores for an instant on SQLite (DateTimeOffsetToBinaryConverter).</summary>
    public static long Stored(DateTimeOffset instant) => (long)Instant.ConvertToProvider(instant)!;

    /// <summary>EF's SQLite text form of a Guid.</summary>
    public static string Stored(Guid id) => id.ToString().ToUpperInvariant();

    public static CandidateData Generate(int targetApplications, int otherApplications, Guid targetPosting, Guid otherPosting,
        DateTimeOffset now, int seed)
    {
        var random = new Random(seed);
        now = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var combos = FirstNames.Length * MiddleNames.Length * LastNames.Length;
        if (targetApplications > combos)
            throw new ArgumentOutOfRangeException(nameof(targetApplications), $"At most {combos} distinct names.");

        // Distinct names: a random sample of first × middle × last; the email is built from the name, so it is distinct too.
        var picks = Enumerable.Range(0, combos).ToArray();
        random.Shuffle(picks);

        var applicants = new List<Applicant>(targetApplications);
        var target = new List<SeededApplication>(targetApplications);
        var other = new List<SeededApplication>(otherApplications);
        var targetId = Stored(targetPosting);
        var otherId = Stored(otherPosting);
        const int window = 183 * 24 * 3600; // submissions spread over the last six months

        for (var i = 0; i < targetApplications; i++)
        {
            var pick = picks[i];
            var first = FirstNames[pick % FirstNames.Length];
            var middle = MiddleNames[pick / FirstNames.Length % MiddleNames.Length];
            var last = LastNames[pick / FirstNames.Length / MiddleNames.Length];
            var fullName = $"{first} {middle} {last}";
            var email = $"{Ascii(first)}.{Ascii(middle)}.{Ascii(last)}@{Domains[random.Next(Domains.Length)]}".ToLowerInvariant();
            var submitted = now.AddSeconds(-random.Next(60, window));
            var applicant = new Applicant(Stored(NewGuid(random)), Stored(NewGuid(random)), fullName, email,
                $"+47 {random.Next(400, 1000)} {random.Next(10, 100)} {random.Next(100, 1000)}",
                random.NextDouble() < 0.6 ? $"{LastNames[random.Next(LastNames.Length)]}veien {random.Next(1, 120)}, {random.Next(1000, 9999)} Oslo" : null,
                submitted.AddMinutes(-random.Next(5, 600)));
            applicants.Add(applicant);
            var application = NewApplication(random, applicant, targetId, submitted, now);
            applicant.Applications.Add(application);
            target.Add(application.Seeded(applicant));
        }

        // Some of the same people also applied to another posting.
        for (var i = 0; i < otherApplications; i++)
        {
            var applicant = applicants[random.Next(applicants.Count)];
            if (applicant.Applications.Any(a => a.PostingId == otherId)) { i--; continue; }
            var application = NewApplication(random, applicant, otherId, now.AddSeconds(-random.Next(60, window)), now);
            applicant.Applications.Add(application);
            other.Add(application.Seeded(applicant));
        }

        return new CandidateData(applicants, target, other, targetId, otherId);
    }

    private static Application NewApplication(Random random, Applicant applicant, string postingId, DateTimeOffset submitted,
        DateTimeOffset now)
    {
        var status = PickStatus(random);
        DateTimeOffset? decision = null, withdrawn = null, deletionDue = null;
        if (status is ApplicationStatus.Rejected or ApplicationStatus.Hired)
        {
            // Decided within 40 days of submitting (not in the future); deleted six months after the decision.
            var span = Math.Min(40 * 24 * 3600, (now - submitted).TotalSeconds);
            decision = submitted.AddSeconds(random.NextDouble() * span);
            deletionDue = decision.Value.AddMonths(6);
        }
        else if (status == ApplicationStatus.Withdrawn)
        {
            // Withdrawn applications are deleted after 30 days, so the ones still present were withdrawn recently.
            var from = submitted > now.AddDays(-25) ? submitted : now.AddDays(-25);
            withdrawn = from.AddSeconds(random.NextDouble() * (now - from).TotalSeconds);
            deletionDue = withdrawn.Value.AddDays(30);
        }
        // Cover letters are made when inserted, not kept: 15 % leave it empty, the rest write 300 to 3,000 characters.
        var letterLength = random.NextDouble() < 0.15 ? 0 : random.Next(300, 3000);
        return new Application(Stored(NewGuid(random)), postingId, status, submitted, decision, withdrawn, deletionDue,
            random.Next(Prose.Length / 2), letterLength, InTalentPool: random.NextDouble() < 0.12,
            OnLegalHold: random.NextDouble() < 0.003);
    }

    /// <summary>
    /// Writes users, their Jobseeker role, applicants and applications in one transaction; <paramref name="phase"/> is
    /// told when the rows are written, committed and checkpointed.
    /// </summary>
    public void Insert(string databaseFile, Action<string> phase)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            ForeignKeys = true,
        }.ToString());
        connection.Open();

        // Keep the whole transaction in memory until it commits: spilling dirty index pages mid-transaction is what
        // makes a large insert slow. Per connection; the app's own connections are not affected.
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size = -2000000";
            pragma.ExecuteNonQuery();
        }

        string jobseekerRole;
        using (var role = connection.CreateCommand())
        {
            role.CommandText = "SELECT \"Id\" FROM \"AspNetRoles\" WHERE \"NormalizedName\" = 'JOBSEEKER'";
            jobseekerRole = role.ExecuteScalar() as string
                            ?? throw new InvalidOperationException("The app did not create the Jobseeker role.");
        }

        using var transaction = connection.BeginTransaction();
        using var user = Prepare(connection, transaction, "AspNetUsers",
            "Id", "CreatedAt", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "SecurityStamp",
            "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount");
        using var userRole = Prepare(connection, transaction, "AspNetUserRoles", "UserId", "RoleId");
        using var applicant = Prepare(connection, transaction, "Applicants",
            "Id", "UserId", "FullName", "Email", "Phone", "Address", "CreatedAt", "UpdatedAt");
        using var application = Prepare(connection, transaction, "Applications",
            "Id", "ApplicantId", "JobPostingId", "Status", "SubmittedAt", "DecisionAt", "CoverLetter", "NoticeVersion",
            "LegalBasis", "DeletionDueAt", "InTalentPool", "IsRestricted", "OnLegalHold", "WithdrawnAt");

        foreach (var a in _applicants)
        {
            var created = Stored(a.CreatedAt);
            Run(user, a.UserId, created, a.Email, a.Email.ToUpperInvariant(), a.Email, a.Email.ToUpperInvariant(), true,
                Convert.ToHexString(Guid.NewGuid().ToByteArray()), Guid.NewGuid().ToString(), false, false, true, 0);
            Run(userRole, a.UserId, jobseekerRole);
            Run(applicant, a.Id, a.UserId, a.FullName, a.Email, a.Phone, a.Address, created, created);
            foreach (var x in a.Applications)
                Run(application, x.Id, a.Id, x.PostingId, x.Status.ToString(), Stored(x.SubmittedAt), Stored(x.DecisionAt),
                    CoverLetter(x.LetterStart, x.LetterLength), "2026-01", LegalBasis.Agreement.ToString(), Stored(x.DeletionDueAt), x.InTalentPool, false,
                    x.OnLegalHold, Stored(x.WithdrawnAt));
        }
        phase($"seed: inserted {_applicants.Count:N0} users, user roles and applicants and " +
              $"{_applicants.Sum(a => a.Applications.Count):N0} applications (one transaction, prepared commands)");
        transaction.Commit();
        phase("seed: committed");
        _applicants.Clear(); // the oracle keeps only what the list shows

        // Leave the file as a long-running install would have it: everything checkpointed out of the WAL.
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using var reader = checkpoint.ExecuteReader();
        if (reader.Read() && reader.GetInt64(0) != 0)
            throw new InvalidOperationException("The WAL checkpoint after seeding was blocked.");
        phase($"seed: checkpointed the WAL into the database file ({new FileInfo(databaseFile).Length / 1024.0 / 1024.0:0} MiB)");
    }

    /// <summary>Runs SQL (an index to try, say) on the app's database; for experiments only.</summary>
    public static void Execute(string databaseFile, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string table,
        params string[] columns)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
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

    private static long? Stored(DateTimeOffset? instant) => instant is { } value ? Stored(value) : null;

    private static ApplicationStatus PickStatus(Random random)
    {
        var roll = random.NextDouble();
        foreach (var (status, weight) in StatusWeights)
        {
            if (roll < weight) return status;
            roll -= weight;
        }
        return ApplicationStatus.Received;
    }

    private static string CoverLetter(int start, int length)
    {
        if (length == 0) return "";
        var builder = new StringBuilder(length + Prose.Length);
        builder.Append(Prose, start, Prose.Length - start);
        while (builder.Length < length)
            builder.Append(Prose);
        return builder.ToString(0, length).Trim();
    }

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)(bytes[7] & 0x0F | 0x40); // version 4
        bytes[8] = (byte)(bytes[8] & 0x3F | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    private static string Ascii(string name) => name
        .Replace("å", "aa").Replace("Å", "Aa").Replace("ø", "o").Replace("Ø", "O").Replace("æ", "ae").Replace("Æ", "Ae");

    private sealed record Applicant(string Id, string UserId, string FullName, string Email, string Phone, string? Address,
        DateTimeOffset CreatedAt)
    {
        public List<Application> Applications { get; } = [];
    }

    private sealed record Application(string Id, string PostingId, ApplicationStatus Status, DateTimeOffset SubmittedAt,
        DateTimeOffset? DecisionAt, DateTimeOffset? WithdrawnAt, DateTimeOffset? DeletionDueAt, int LetterStart,
        int LetterLength, bool InTalentPool, bool OnLegalHold)
    {
        public SeededApplication Seeded(Applicant applicant) =>
            new(Id, applicant.Id, PostingId, applicant.FullName, applicant.Email, Status, CandidateData.Stored(SubmittedAt));
    }
}
