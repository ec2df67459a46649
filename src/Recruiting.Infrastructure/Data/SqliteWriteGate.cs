using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Recruiting.Infrastructure.Data;

/// <summary>
/// Lets one SaveChanges at a time in this process write to a SQLite file; the others wait here, in turn, and start the
/// moment the one before them has committed. SQLite has a single write lock, and a writer that finds it taken waits in
/// SQLite's busy handler, which polls by sleeping 1, 2, 5, 10 … up to 100 ms: under concurrent applications most of the
/// time went in those sleeps while the lock was already free (measured in bench/results/intake.md). The busy handler
/// still guards against other processes and against writes that are not a SaveChanges.
/// </summary>
/// <remarks>
/// A save inside a transaction that its context opened itself does not wait here: that transaction holds SQLite's lock
/// already, and waiting for a gate held by a save that waits for that lock would stall both. A save that waits longer
/// than the busy timeout goes on without the gate and meets SQLite's own timeout, as it would without this gate.
/// </remarks>
public sealed class SqliteWriteGate : SaveChangesInterceptor
{
    private static readonly ConcurrentDictionary<string, SqliteWriteGate> PerFile = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim turn = new(1, 1);
    private readonly ConditionalWeakTable<DbContext, object> holders = new();
    private static readonly object Held = new();

    private SqliteWriteGate()
    {
    }

    /// <summary>One gate per database file, shared by every context of every host in this process that writes to it.</summary>
    public static SqliteWriteGate For(string databaseFile) => PerFile.GetOrAdd(Path.GetFullPath(databaseFile), _ => new SqliteWriteGate());

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (NeedsTurn(eventData.Context) && turn.Wait(SqlitePragmas.BusyTimeout))
            holders.AddOrUpdate(eventData.Context!, Held);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (NeedsTurn(eventData.Context) && await turn.WaitAsync(SqlitePragmas.BusyTimeout, cancellationToken))
            holders.AddOrUpdate(eventData.Context!, Held);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    private static bool NeedsTurn(DbContext? context) => context is not null && context.Database.CurrentTransaction is null;

    private void Release(DbContext? context)
    {
        if (context is not null && holders.Remove(context))
            turn.Release();
    }
}
