using System.Net;
using Npgsql;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>
/// On PostgreSQL the schema changes only by the explicit <c>migrate</c> command. An instance facing a
/// schema that is behind refuses to start and names the command; the command brings the database up to date and can
/// be run again without harm.
/// </summary>
public sealed class MigrateCommandTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("recruiting-migrate-").FullName;
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await PostgresCluster.Shared.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await PostgresCluster.Shared.DropDatabaseAsync(_connectionString);
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task An_instance_refuses_an_unmigrated_database_until_the_migrate_command_has_run_and_migrate_runs_twice_harmlessly()
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:PostgreSqlConnectionString"] = _connectionString,
            ["DataDirectory"] = _dataDirectory,
            ["Seed:HrEmail"] = PortalFactory.HrEmail,
            ["Seed:HrPassword"] = "hr-" + Guid.NewGuid().ToString("N"),
            ["Seed:DemoJobs"] = "false",
        };

        var refused = await PortalProcess.RunToExitAsync(settings);
        Assert.True(refused.ExitCode == 1, $"exit code {refused.ExitCode}:\n{refused.Output}");
        Assert.Contains("-- migrate", refused.Output);
        // It changed nothing: not even the table of applied migrations exists.
        Assert.Empty(await TablesAsync());

        foreach (var run in new[] { "first", "second" })
        {
            var migrated = await PortalProcess.RunToExitAsync(settings, "migrate");
            Assert.True(migrated.ExitCode == 0, $"{run} migrate exited with {migrated.ExitCode}:\n{migrated.Output}");
        }
        var tables = await TablesAsync();
        Assert.Contains("public.__EFMigrationsHistory", tables);
        Assert.Contains("public.Requests", tables);
        Assert.Contains("hangfire.job", tables);
        // One Data Protection key, made by the first run; the second found it.
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM \"DataProtectionKeys\""));

        await using var portal = await PortalProcess.StartAsync(settings);
        var health = await portal.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private async Task<List<string>> TablesAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN ('public', 'hangfire')",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
            tables.Add(reader.GetString(0));
        return tables;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
