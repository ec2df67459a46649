using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Rights;
using Recruiting.Core.Storage;

namespace Recruiting.Infrastructure.Data;

/// <summary>
/// SQLite writes every change to the write-ahead log first, so the WAL file holds page images from before a delete
/// until it is checkpointed and reset. A TRUNCATE checkpoint copies the pages back (where secure_delete has zeroed the
/// deleted rows, see <see cref="SqlitePragmas"/>) and truncates the WAL to nothing, so erased data leaves no copy there.
/// </summary>
internal sealed class SqliteWalCheckpoint(RecruitingDbContext db, ILogger<SqliteWalCheckpoint> logger) : IErasureScrubber
{
    private const int MaxAttempts = 20;

    public async Task ScrubAsync(TimeSpan spareWritesYoungerThan, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                // A reader still on an older snapshot keeps the checkpoint from finishing ("busy"); readers are short.
                if (await CheckpointAsync(db.Database.GetDbConnection(), cancellationToken))
                    return;
                if (attempt == MaxAttempts)
                    throw new InvalidOperationException("The SQLite WAL checkpoint stayed busy; the job is retried.");
                logger.LogDebug("WAL checkpoint busy (attempt {Attempt}); trying again", attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>True when the checkpoint completed: the row it returns is (busy, WAL frames, frames checkpointed).</summary>
    private static async Task<bool> CheckpointAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return !await reader.ReadAsync(cancellationToken) || reader.GetInt32(0) == 0;
    }
}
