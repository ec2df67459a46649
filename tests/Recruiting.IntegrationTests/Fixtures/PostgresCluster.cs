using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Recruiting.Core.Data;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.IntegrationTests.Fixtures;

/// <summary>
/// A throwaway PostgreSQL cluster for this test process: initdb into a temporary folder, started on a free loopback
/// port, stopped and deleted when the process exits. Each test host gets a database of its own in it.
/// PostgreSQL refuses to run as root, so as root the cluster belongs to the <c>postgres</c> user.
/// </summary>
public sealed class PostgresCluster
{
    private const string FolderPrefix = "recruiting-pg-";
    private static readonly Lazy<PostgresCluster> SharedCluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _bin;
    private readonly string _folder;

    private PostgresCluster(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
        _template = new Lazy<Task<string>>(MigrateTemplateAsync);
    }

    private readonly Lazy<Task<string>> _template;

    /// <summary>The cluster of this test process, started on first use.</summary>
    public static PostgresCluster Shared => SharedCluster.Value;

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Include Error Detail=true";

    /// <summary>Creates an empty database with a fresh name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "it_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>
    /// A database holding the current schema (the app's migrations, Hangfire's tables, one Data Protection key), as the
    /// <c>migrate</c> command leaves it. Copied from a template migrated once per test process, which is much faster
    /// than migrating each one.
    /// </summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var template = await _template.Value;
        var name = "it_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private async Task<string> MigrateTemplateAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        var options = new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = connectionString };
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddRecruitingDatabase(options, new DataDirectory(Path.Combine(_folder, "template-data")));
        services.AddDataProtection().SetApplicationName("Recruiting").PersistKeysToDbContext<RecruitingDbContext>();
        await using (var provider = services.BuildServiceProvider())
            await DatabaseSchema.MigrateAsync(provider);
        // A template must have no sessions while it is copied.
        NpgsqlConnection.ClearAllPools();
        return new NpgsqlConnectionStringBuilder(connectionString).Database!;
    }

    /// <summary>Drops the database, ending whatever sessions still use it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every live row of every table in the database (the application's and Hangfire's) as "schema.table: row".</summary>
    public static async Task<IReadOnlyList<string>> RowsAsTextAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables "
            + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        var rows = new List<string>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                rows.Add($"{table}: {reader.GetString(0)}");
        }
        return rows;
    }

    private static PostgresCluster Start()
    {
        var bin = FindBin();
        RemoveAbandonedClusters(bin);
        var folder = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        File.WriteAllText(Path.Combine(folder, "owner.pid"), Environment.ProcessId.ToString());
        var data = Path.Combine(folder, "data");
        var port = FreePort();
        if (IsRoot)
            Run("chown", "-R", "postgres:postgres", folder);

        RunAsOwner(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync",
            "--no-instructions");
        // Durability is worth nothing in a cluster deleted at the end of the run; without it the tests run faster.
        RunAsOwner(Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o",
            $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off "
            + "-c synchronous_commit=off -c full_page_writes=off", "start");

        var cluster = new PostgresCluster(bin, folder, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Remove();
        return cluster;
    }

    private void Remove()
    {
        try { RunAsOwner(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"); }
        catch (InvalidOperationException) { /* already stopped */ }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Clusters of test processes that were killed before they could remove them.</summary>
    private static void RemoveAbandonedClusters(string bin)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var pidFile = Path.Combine(folder, "owner.pid");
            if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile), out var pid) || IsAlive(pid))
                continue;
            new PostgresCluster(bin, folder, 0).Remove();
        }
    }

    private static bool IsAlive(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static string FindBin()
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
            return configured;
        var bins = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).ToList()
            : [];
        return bins.FirstOrDefault() ?? throw new InvalidOperationException(
            "PostgreSQL's server programs (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. "
            + "Install the Debian package 'postgresql', or set PG_BIN to the folder that holds them.");
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static void RunAsOwner(string program, params string[] arguments)
    {
        if (IsRoot)
            Run("runuser", ["-u", "postgres", "--", program, .. arguments]);
        else
            Run(program, arguments);
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output.Result}\n{error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
