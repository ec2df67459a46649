namespace Recruiting.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, PostgreSql }

/// <summary>Settings section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (embedded default, a file in the data folder) or <c>PostgreSql</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Npgsql connection string; used when <see cref="Provider"/> is PostgreSql.</summary>
    public string PostgreSqlConnectionString { get; set; } = "";
}
