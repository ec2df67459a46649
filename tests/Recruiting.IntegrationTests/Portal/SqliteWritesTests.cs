using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.IntegrationTests.Portal;

/// <summary>
/// The embedded default's writes on a real SQLite file: concurrent saves take turns at the write gate (none fails, none
/// is lost), whether a save is one statement or a transaction of several; a failed save gives its turn back; a save
/// inside an open transaction does not wait for a turn it could never get; the gate publishes the turns it gives; and
/// every physical connection has the app's pragmas however often the pool hands it out.
/// </summary>
[Trait("Provider", "Sqlite")]
public sealed class SqliteWritesTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"recruiting-sqlite-{Guid.NewGuid():N}");
    private DbContextOptions<RecruitingDbContext> _options = null!;

    // A gate that is never given back shows as a save that waits past this, not as a test that hangs.
    private static CancellationToken Soon() => new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token;

    public async Task InitializeAsync()
    {
        var builder = new DbContextOptionsBuilder<RecruitingDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, new DatabaseOptions { Provider = DatabaseProvider.Sqlite },
            new DataDirectory(_folder));
        _options = builder.Options;
        await using var db = NewContext();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private RecruitingDbContext NewContext() => new(_options);

    private static AuditEvent Event() => AuditEvent.Record(AuditAction.RequestFiled, "test", null, DateTimeOffset.UtcNow);

    // One row is one statement without a transaction; three rows are a transaction that EF begins and commits.
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Sixteen_concurrent_saves_all_commit(int rowsPerSave)
    {
        var saves = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await using var db = NewContext();
                for (var row = 0; row < rowsPerSave; row++)
                    db.AuditEvents.Add(Event());
                await db.SaveChangesAsync(Soon());
            }
        }));
        await Task.WhenAll(saves);

        await using var check = NewContext();
        Assert.Equal(160 * rowsPerSave, await check.AuditEvents.CountAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_failed_save_gives_its_turn_back(int rowsPerSave)
    {
        var twice = Event();
        await using (var first = NewContext())
        {
            first.AuditEvents.Add(twice);
            await first.SaveChangesAsync(Soon());
        }
        await using (var again = NewContext())
        {
            for (var row = 1; row < rowsPerSave; row++)
                again.AuditEvents.Add(Event());
            again.AuditEvents.Add(twice);
            await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(Soon()));
        }

        await using var next = NewContext();
        next.AuditEvents.Add(Event());
        await next.SaveChangesAsync(Soon());
        Assert.Equal(2, await next.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task The_gate_publishes_each_turn_it_gives()
    {
        var waited = new List<double>();
        var held = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SqliteWriteGate.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            var into = instrument.Name == SqliteWriteGate.HeldInstrument ? held : waited;
            lock (into)
                into.Add(value);
        });
        listener.Start();

        // The meter is the process's: saves of tests running meanwhile may be counted too, besides these three.
        for (var save = 0; save < 3; save++)
        {
            await using var db = NewContext();
            db.AuditEvents.Add(Event());
            db.AuditEvents.Add(Event());
            await db.SaveChangesAsync(Soon());
        }
        listener.Dispose();

        Assert.True(waited.Count >= 3, $"{waited.Count} waits published");
        Assert.True(held.Count >= 3, $"{held.Count} turns published");
        Assert.All(held, ms => Assert.InRange(ms, 0, 15_000));
    }

    [Fact]
    public async Task A_save_inside_an_open_transaction_does_not_wait_for_a_save_that_waits_for_that_transaction()
    {
        await using var holder = NewContext();
        await using var transaction = await holder.Database.BeginTransactionAsync(Soon()); // holds SQLite's write lock
        holder.AuditEvents.Add(Event());
        await holder.SaveChangesAsync(Soon());

        // Takes its turn at the gate at its statement (the signal comes after the gate's interceptor), then waits in
        // SQLite for the transaction above; SQLite waits synchronously, hence its own thread.
        var hasTurn = new HasTurn();
        await using var other = new RecruitingDbContext(new DbContextOptionsBuilder<RecruitingDbContext>(_options).AddInterceptors(hasTurn).Options);
        other.AuditEvents.Add(Event());
        var waiting = Task.Run(() => other.SaveChangesAsync(Soon()));
        await hasTurn.Reached.Task.WaitAsync(Soon());

        holder.AuditEvents.Add(Event());
        await holder.SaveChangesAsync(Soon());
        await transaction.CommitAsync(Soon());
        await waiting;

        await using var check = NewContext();
        Assert.Equal(3, await check.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task Every_physical_connection_has_the_pragmas_however_often_it_is_reused()
    {
        for (var open = 0; open < 3; open++)
        {
            if (open == 2)
                SqliteConnection.ClearAllPools(); // the next open makes a new physical connection
            await using var db = NewContext();
            await db.Database.OpenConnectionAsync();
            Assert.Equal(1L, await PragmaAsync(db, "secure_delete"));
            Assert.Equal(1L, await PragmaAsync(db, "foreign_keys"));
            Assert.Equal((long)SqlitePragmas.BusyTimeout.TotalMilliseconds, await PragmaAsync(db, "busy_timeout"));
        }
    }

    /// <summary>Signals when the save's statement is about to run: the gate, registered before it, has given its turn.</summary>
    private sealed class HasTurn : DbCommandInterceptor
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Reached.TrySetResult();
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Reached.TrySetResult();
            return ValueTask.FromResult(result);
        }
    }

    private static async Task<long> PragmaAsync(RecruitingDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
