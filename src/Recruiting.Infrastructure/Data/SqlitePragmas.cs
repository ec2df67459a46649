using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Recruiting.Infrastructure.Data;

/// <summary>
/// secure_delete makes SQLite overwrite deleted content instead of leaving it in free pages, so an erased
/// applicant cannot be read back from the file. busy_timeout lets SQLite itself wait for another
/// connection's write lock, in steps of a few milliseconds: without it Microsoft.Data.Sqlite retries a busy database
/// after sleeping 150 ms, which under concurrent writes (a popular posting's applications) made most of the wait.
/// Both are per connection, hence the interceptor. They stay set on a pooled connection, so each physical connection
/// runs them once: running them on every open (EF opens a pooled connection for each query) cost three statements a query.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    /// <summary>How long a write waits for another connection's write lock before it fails.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    public static readonly string Pragmas =
        $"PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};";

    private readonly ConditionalWeakTable<sqlite3, object> configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsConfigured(connection))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        Configured(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (IsConfigured(connection))
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        Configured(connection);
    }

    /// <summary>The handle is the physical connection: a pooled <see cref="SqliteConnection"/> hands the same one out again.</summary>
    private bool IsConfigured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && configured.TryGetValue(handle, out _);

    private void Configured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
            configured.AddOrUpdate(handle, handle);
    }
}
