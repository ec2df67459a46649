using System.Net;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Recruiting.Core.Data;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Infrastructure.Jobs;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>
/// The scale-out profile as an operator runs it: one migrated PostgreSQL database, one Azurite, one SMTP sink, and two
/// portal processes on different ports with the same settings. Mail passes an <see cref="SmtpGate"/> on its way to
/// maildev, so a test can stop a job inside its send.
/// </summary>
public sealed class TwoInstanceFixture : IAsyncLifetime
{
    /// <summary>The retention run every 4 seconds (a 6-field cron: Hangfire reads the first field as seconds).</summary>
    public const string RetentionCron = "*/4 * * * * *";
    public static readonly TimeSpan RetentionPeriod = TimeSpan.FromSeconds(4);

    /// <summary>How long a job of an instance that stopped answering stays invisible before the other takes it.</summary>
    public static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(5);

    private readonly AzuriteFixture _azurite = new();
    private readonly List<string> _folders = [];
    private PostgreSqlStorage? _hangfire;
    private int _disposed;

    public string ConnectionString { get; private set; } = "";
    public Maildev Mail { get; private set; } = null!;
    public SmtpGate Gate { get; private set; } = null!;
    public string HrEmail => PortalFactory.HrEmail;
    public string HrPassword { get; } = "hr-" + Guid.NewGuid().ToString("N");
    public PortalProcess A { get; private set; } = null!;
    public PortalProcess B { get; private set; } = null!;
    public Dictionary<string, string> Settings { get; } = [];

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // Nothing may outlive a fixture that failed half-way: processes, folders, the database.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        var database = PostgresCluster.Shared.CreateMigratedDatabaseAsync();
        var mail = Maildev.StartAsync();
        try
        {
            await Task.WhenAll(database, mail, _azurite.InitializeAsync());
        }
        finally
        {
            if (database.IsCompletedSuccessfully) ConnectionString = database.Result;
            if (mail.IsCompletedSuccessfully) Mail = mail.Result;
        }
        Gate = new SmtpGate(Mail.SmtpPort);

        foreach (var (key, value) in Maildev.SmtpSettings(Gate.Port))
            Settings[key] = value;
        Settings["Database:Provider"] = "PostgreSql";
        Settings["Database:PostgreSqlConnectionString"] = ConnectionString;
        Settings["BlobStorage:Provider"] = "Azure";
        Settings["BlobStorage:Azure:ConnectionString"] = _azurite.ConnectionString;
        Settings["BlobStorage:Azure:ContainerName"] = "scaleout";
        Settings["Seed:HrEmail"] = HrEmail;
        Settings["Seed:HrPassword"] = HrPassword;
        Settings["Seed:DemoJobs"] = "false";
        Settings["Portal:PublicUrl"] = "http://localhost";
        Settings["Jobs:SchedulePollingInterval"] = "00:00:01";
        Settings["Jobs:InvisibilityTimeout"] = InvisibilityTimeout.ToString();
        Settings["Jobs:RetentionCron"] = RetentionCron;
        // One worker each: two jobs running at once are then on two instances, and a worker held in a job is the
        // instance's only one.
        Settings["Jobs:WorkerCount"] = "1";

        // Started together, as an operator starts them after the migrate command.
        var a = PortalProcess.StartAsync(WithOwnDataDirectory(Settings));
        var b = PortalProcess.StartAsync(WithOwnDataDirectory(Settings));
        try
        {
            await Task.WhenAll(a, b);
        }
        finally
        {
            if (a.IsCompletedSuccessfully) A = a.Result;
            if (b.IsCompletedSuccessfully) B = b.Result;
        }
    }

    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        foreach (var portal in new[] { A, B })
            if (portal is not null)
                await portal.DisposeAsync();
        if (Gate is not null)
            await Gate.DisposeAsync();
        if (Mail is not null)
            await Mail.DisposeAsync();
        await _azurite.DisposeAsync();
        if (ConnectionString.Length > 0)
            await PostgresCluster.Shared.DropDatabaseAsync(ConnectionString);
        foreach (var folder in _folders)
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>The instances' Hangfire storage, seen from the test as a third party (e.g. another instance's reconcile).</summary>
    public JobStorage Hangfire => _hangfire ??= new PostgreSqlStorage(new NpgsqlConnectionFactory(ConnectionString,
        new PostgreSqlStorageOptions { SchemaName = HangfireSetup.PostgreSqlSchema, PrepareSchemaIfNecessary = false }),
        new PostgreSqlStorageOptions { SchemaName = HangfireSetup.PostgreSqlSchema, PrepareSchemaIfNecessary = false });

    public async Task<T> WithDbAsync<T>(Func<RecruitingDbContext, Task<T>> action)
    {
        await using var db = new RecruitingDbContext(new DbContextOptionsBuilder<RecruitingDbContext>()
            .UseNpgsql(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString).Options);
        return await action(db);
    }

    /// <summary>A plain SQL query on the shared database, for Hangfire's tables.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
            rows.Add(read(reader));
        return rows;
    }

    /// <summary>The instance a Hangfire server id belongs to (the id names the process).</summary>
    public PortalProcess OwnerOf(string serverId) =>
        new[] { A, B }.Single(p => serverId.Contains($":{p.ProcessId}:", StringComparison.Ordinal));

    /// <summary>A browser-like client of one instance with its own cookies.</summary>
    public static PortalBrowser BrowserOf(PortalProcess portal, CookieContainer? cookies = null) =>
        new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = portal.Address,
        });

    /// <summary>Data Protection keys, sessions and blobs must not come from a shared folder: each instance has its own.</summary>
    private Dictionary<string, string> WithOwnDataDirectory(Dictionary<string, string> settings)
    {
        var folder = Directory.CreateTempSubdirectory("recruiting-instance-").FullName;
        lock (_folders)
            _folders.Add(folder);
        return new Dictionary<string, string>(settings) { ["DataDirectory"] = folder };
    }
}
