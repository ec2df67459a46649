using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Recruiting.Infrastructure.Data;

/// <summary>
/// secure_delete makes SQLite overwrite deleted content instead of leaving it in free pages, so an erased
/// applicant cannot be read back from the file (DESIGN invariant 3). It is per connection, hence the interceptor.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON;";

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
