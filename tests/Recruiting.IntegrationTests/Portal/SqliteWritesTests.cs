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
/// is lost), a failed save gives its turn back, a save inside an open transaction does not wait for a turn it could
/// never get, and every physical connection has the app's pragmas however often the pool hands it out.
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

    [Fact]
    public async Task Sixteen_concurrent_saves_all_commit()
    {
        var saves = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await using var db = NewContext();
                db.AuditEvents.Add(Event());
                await db.SaveChangesAsync(Soon());
            }
        }));
        await Task.WhenAll(saves);

        await using var check = NewContext();
        Assert.Equal(160, await check.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task A_failed_save_gives_its_turn_back()
    {
        var twice = Event();
        await using (var first = NewContext())
        {
            first.AuditEvents.Add(twice);
            await first.SaveChangesAsync(Soon());
        }
        await using (var again = NewContext())
        {
            again.AuditEvents.Add(twice);
            await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(Soon()));
        }

        await using var next = NewContext();
        next.AuditEvents.Add(Event());
        await next.SaveChangesAsync(Soon());
        Assert.Equal(2, await next.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task A_save_inside_an_open_transaction_does_not_wait_for_a_save_that_waits_for_that_transaction()
    {
        await using var holder = NewContext();
        await using var transaction = await holder.Database.BeginTransactionAsync(Soon()); // holds SQLite's write lock
        holder.AuditEvents.Add(Event());
        await holder.SaveChangesAsync(Soon());

        // Takes its turn at the gate (the signal comes after the gate's interceptor), then waits in SQLite for the
        // transaction above; SQLite waits synchronously, hence its own thread.
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

    private sealed class HasTurn : SaveChangesInterceptor
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData,
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
