using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Recruiting.Infrastructure.Data;

/// <summary>
/// secure_delete makes SQLite overwrite deleted content instead of leaving it in free pages, so an erased
/// applicant cannot be read back from the file. busy_timeout lets SQLite itself wait for another
/// connection's write lock, in steps of a few milliseconds: without it Microsoft.Data.Sqlite retries a busy database
/// after sleeping 150 ms, which under concurrent writes (a popular posting's applications) made most of the wait.
/// Both are per connection, hence the interceptor.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public const string Pragmas = "PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
