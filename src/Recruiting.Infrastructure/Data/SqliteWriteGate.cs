using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
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
/// <para>A save takes its turn at its first statement (or its transaction's start) and gives it back at its commit, not
/// for the whole SaveChanges: finding the changes and building the SQL before, and accepting them after, touch no lock,
/// and under load every save waiting its turn would otherwise wait for them too.</para>
/// <para>A save inside a transaction that its context opened itself does not wait here: that transaction holds SQLite's
/// lock already, and waiting for a gate held by a save that waits for that lock would stall both. A save that waits longer
/// than the busy timeout goes on without the gate and meets SQLite's own timeout, as it would without this gate.</para>
/// <para>How long saves wait for their turn and hold it is published on the meter <see cref="MeterName"/>: when the
/// turns add up to nearly all of the time, the single write lock, not the processors, limits the rate of writes.</para>
/// </remarks>
public sealed class SqliteWriteGate : ISaveChangesInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
{
    public const string MeterName = "Recruiting.Sqlite";
    public const string WaitedInstrument = "recruiting.sqlite.write_turn.waited";
    public const string HeldInstrument = "recruiting.sqlite.write_turn.held";

    private static readonly ConcurrentDictionary<string, SqliteWriteGate> PerFile = new(StringComparer.Ordinal);
    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Waited = Meter.CreateHistogram<double>(WaitedInstrument, "ms",
        "How long a save waited for its turn to write to the SQLite file");
    private static readonly Histogram<double> Held = Meter.CreateHistogram<double>(HeldInstrument, "ms",
        "How long a save held its turn: from its first statement to its commit");

    private readonly SemaphoreSlim turn = new(1, 1);
    private readonly ConditionalWeakTable<DbContext, Save> saves = new();

    /// <summary>A save under way: <see cref="Asked"/> for its turn once (a save that waited past the timeout goes on
    /// without it), <see cref="Holds"/> it since <see cref="Since"/> until its commit.</summary>
    private sealed class Save
    {
        public bool Asked;
        public bool Holds;
        public long Since;
    }

    private SqliteWriteGate()
    {
    }

    /// <summary>One gate per database file, shared by every context of every host in this process that writes to it.</summary>
    public static SqliteWriteGate For(string databaseFile) => PerFile.GetOrAdd(Path.GetFullPath(databaseFile), _ => new SqliteWriteGate());

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null)
            saves.AddOrUpdate(context, new Save());
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(SavingChanges(eventData, result));

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result) => AfterTurn(eventData.Context, result);

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default) =>
        AfterTurnAsync(eventData.Context, result, cancellationToken);

    // A save of a single statement runs it without a transaction: its turn starts with the statement.
    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result) => AfterTurn(eventData.Context, result);

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        AfterTurnAsync(eventData.Context, result, cancellationToken);

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        AfterTurn(eventData.Context, result);

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        AfterTurnAsync(eventData.Context, result, cancellationToken);

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => GiveBack(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        GiveBack(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => GiveBack(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        GiveBack(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => GiveBack(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData,
        CancellationToken cancellationToken = default)
    {
        GiveBack(eventData.Context);
        return Task.CompletedTask;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        End(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        End(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => End(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => End(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>Waits for the turn of a save that has not asked for one yet; other statements go straight on.</summary>
    private T AfterTurn<T>(DbContext? context, T result)
    {
        if (Unasked(context) is { } save)
        {
            var asked = Stopwatch.GetTimestamp();
            Answered(save, asked, turn.Wait(SqlitePragmas.BusyTimeout));
        }
        return result;
    }

    private async ValueTask<T> AfterTurnAsync<T>(DbContext? context, T result, CancellationToken cancellationToken)
    {
        if (Unasked(context) is { } save)
        {
            var asked = Stopwatch.GetTimestamp();
            Answered(save, asked, await turn.WaitAsync(SqlitePragmas.BusyTimeout, cancellationToken));
        }
        return result;
    }

    private static void Answered(Save save, long asked, bool got)
    {
        var now = Stopwatch.GetTimestamp();
        Waited.Record(Stopwatch.GetElapsedTime(asked, now).TotalMilliseconds);
        save.Asked = true;
        save.Holds = got;
        save.Since = now;
    }

    private Save? Unasked(DbContext? context) =>
        context is not null && saves.TryGetValue(context, out var save) && !save.Asked ? save : null;

    private void GiveBack(DbContext? context)
    {
        if (context is not null && saves.TryGetValue(context, out var save) && save.Holds)
        {
            save.Holds = false;
            turn.Release();
            Held.Record(Stopwatch.GetElapsedTime(save.Since).TotalMilliseconds);
        }
    }

    /// <summary>The save is over: its turn is given back if it still holds one, and later statements of the context need none.</summary>
    private void End(DbContext? context)
    {
        GiveBack(context);
        if (context is not null)
            saves.Remove(context);
    }
}
