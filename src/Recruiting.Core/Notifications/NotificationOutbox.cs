using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Recruiting.Core.Notifications;

/// <summary>
/// The one way a mail is handed to Hangfire: a feature only adds its <see cref="Notification"/> row to the context,
/// in the same commit as the change the mail is about, and this interceptor hands the new rows' ids to
/// <see cref="NotificationJob"/> once that commit has happened: after SaveChanges when no transaction is open, else
/// after the transaction commits, gathered with others into one job (<see cref="HandOverWindow"/>). Rows of a save that
/// failed or a transaction that rolled back are never handed over.
/// </summary>
/// <remarks>
/// The rows are marked handed over in the commit that adds them, so a reconcile run between the commit and the
/// enqueue does not hand them over a second time; if the enqueue then fails (or the process dies first), the
/// reconcile job hands them over once that mark is stale. One instance serves every context, so what each context
/// owes is kept beside that context and goes away with it.
/// </remarks>
public sealed class NotificationOutbox(IBackgroundJobClient jobs, TimeProvider time, ILogger<NotificationOutbox> logger)
    : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private sealed class Owed
    {
        /// <summary>Added by the SaveChanges under way.</summary>
        public List<Guid> Saving { get; } = [];

        /// <summary>Saved inside the open transaction: handed over when it commits.</summary>
        public List<Guid> AwaitingCommit { get; } = [];
    }

    private readonly ConditionalWeakTable<DbContext, Owed> owed = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        CollectAdded(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        CollectAdded(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => StateOf(eventData.Context)?.Saving.Clear();

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => StateOf(eventData.Context)?.Saving.Clear();

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesCanceled(eventData);
        return Task.CompletedTask;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        // A transaction disposed without a commit or rollback call rolled back: what it owed is not owed.
        StateOf(eventData.Context)?.AwaitingCommit.Clear();
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarted(connection, eventData, result));

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (StateOf(eventData.Context) is not { AwaitingCommit.Count: > 0 } state)
            return;
        var committed = state.AwaitingCommit.ToList();
        state.AwaitingCommit.Clear();
        HandOver(committed);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        StateOf(eventData.Context)?.AwaitingCommit.Clear();

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    /// <summary>
    /// How long committed mail is collected before it goes to Hangfire as one job. A job per mail cost more than the
    /// mail (a job, a context and a commit each); under load this gathers many, and alone a mail waits only this long.
    /// </summary>
    public static readonly TimeSpan HandOverWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>The most mails one job sends.</summary>
    public const int MaxBatch = 100;

    private readonly ConcurrentQueue<Guid> committed = new();
    private int handOverScheduled;

    /// <summary>
    /// Hands these ids to Hangfire within <see cref="HandOverWindow"/>, together with any other committed meanwhile.
    /// A failure is logged and left to the reconcile job, never thrown after a commit; so is a process that stops
    /// within the window (the rows stay unsent and marked, and the mark goes stale).
    /// </summary>
    public void HandOver(IReadOnlyCollection<Guid> notificationIds)
    {
        foreach (var id in notificationIds)
            committed.Enqueue(id);
        if (Interlocked.Exchange(ref handOverScheduled, 1) == 0)
            _ = HandOverSoonAsync();
    }

    private async Task HandOverSoonAsync()
    {
        // Real time, not the TimeProvider: the window is about this process's load, and a test's fixed clock never moves.
        await Task.Delay(HandOverWindow).ConfigureAwait(false);
        // Cleared before draining, with a full fence so the drain cannot read the queue before the flag is seen cleared:
        // an id queued from here on is either drained now or schedules the next hand-over.
        Interlocked.Exchange(ref handOverScheduled, 0);
        var batch = new List<Guid>();
        while (committed.TryDequeue(out var id))
        {
            batch.Add(id);
            if (batch.Count == MaxBatch)
            {
                Enqueue(batch);
                batch = [];
            }
        }
        if (batch.Count > 0)
            Enqueue(batch);
    }

    private void Enqueue(List<Guid> notificationIds)
    {
        var ids = notificationIds.ToArray();
        try
        {
            jobs.Enqueue<NotificationJob>(j => j.SendAllAsync(ids, CancellationToken.None));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not enqueue notifications {NotificationIds}; the reconcile job will hand them over",
                string.Join(",", ids));
        }
    }

    private void CollectAdded(DbContext? context)
    {
        if (context is null)
            return;
        // Rows are added with Add and have no navigations, so the tracker knows them without detecting changes, which
        // SaveChanges does next anyway: detecting twice would double the cost of saves that track many entities.
        var tracker = context.ChangeTracker;
        var autoDetect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        List<EntityEntry<Notification>> added;
        try
        {
            added = tracker.Entries<Notification>().Where(e => e.State == EntityState.Added).ToList();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = autoDetect;
        }
        if (added.Count == 0)
            return;
        var state = owed.GetOrCreateValue(context);
        state.Saving.Clear();
        var now = time.GetUtcNow();
        foreach (var entry in added)
        {
            entry.Entity.MarkEnqueued(now);
            state.Saving.Add(entry.Entity.Id);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || StateOf(context) is not { Saving.Count: > 0 } state)
            return;
        var saved = state.Saving.ToList();
        state.Saving.Clear();
        if (context.Database.CurrentTransaction is null)
            HandOver(saved);
        else
            state.AwaitingCommit.AddRange(saved);
    }

    private Owed? StateOf(DbContext? context) => context is not null && owed.TryGetValue(context, out var state) ? state : null;
}
