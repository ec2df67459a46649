using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Recruiting.Benchmarks.Harness;

/// <summary>A SQL command as EF sent it: text and parameters (copied, since EF reuses its command objects).</summary>
public sealed record CapturedCommand(string Text, IReadOnlyList<CapturedParameter> Parameters, TimeSpan Duration)
{
    public static CapturedCommand From(DbCommand command, TimeSpan duration) =>
        new(command.CommandText,
            command.Parameters.Cast<DbParameter>().Select(p => new CapturedParameter(p.ParameterName, p.Value, p.DbType, p.Size))
                .ToList(),
            duration);

    public SqliteCommand CreateOn(SqliteConnection connection, string prefix = "")
    {
        var command = connection.CreateCommand();
        command.CommandText = prefix + Text;
        foreach (var p in Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = p.Name;
            // The DbType alone decides how Microsoft.Data.Sqlite binds (a Guid as upper-case TEXT, as EF stores it);
            // SqliteParameter.SqliteType reads back a type guessed from the value, so copying it would change the binding.
            parameter.DbType = p.DbType;
            // Microsoft.Data.Sqlite truncates a value to an explicitly set Size, even 0: copy only a real one.
            if (p.Size > 0)
                parameter.Size = p.Size;
            parameter.Value = p.Value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>The parameters as a reader sees them, e.g. <c>@p='5F1C…' (String)</c>.</summary>
    public string DescribeParameters() =>
        string.Join(", ", Parameters.Select(p => $"{p.Name}={Quote(p.Value)} ({p.DbType}{(p.Size != 0 ? $", size {p.Size}" : "")})"));

    private static string Quote(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => $"'{s}'",
        _ => value.ToString() ?? "",
    };
}

public sealed record CapturedParameter(string Name, object? Value, DbType DbType, int Size);

/// <summary>
/// Listens to EF Core's DiagnosticSource events while it is alive and keeps every command EF executed. EF raises these
/// events only while someone listens, so the timed requests (made with no capture alive) pay nothing for it.
/// </summary>
public sealed class SqlCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly ConcurrentQueue<CapturedCommand> _commands = new();
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _lock = new();

    private SqlCapture() { }

    /// <summary>
    /// EF checks whether anyone listens at most once per its logging cache time (one second by default) in each context,
    /// and the app's contexts are pooled, so they outlive requests: a capture is complete only once that time has passed.
    /// </summary>
    private static readonly TimeSpan EfLoggingCacheTime = TimeSpan.FromSeconds(1);

    /// <summary>Subscribes, then returns once every context of the app has noticed (see <see cref="EfLoggingCacheTime"/>).</summary>
    public static async Task<SqlCapture> StartAsync()
    {
        var capture = new SqlCapture();
        var all = DiagnosticListener.AllListeners.Subscribe(capture);
        lock (capture._lock) capture._subscriptions.Add(all);
        // No event tells when EF has noticed the listener; its check is time-based, so the wait is too.
        await Task.Delay(EfLoggingCacheTime + TimeSpan.FromMilliseconds(100));
        return capture;
    }

    /// <summary>Takes what was captured so far and starts afresh.</summary>
    public IReadOnlyList<CapturedCommand> Drain()
    {
        var taken = new List<CapturedCommand>();
        while (_commands.TryDequeue(out var command))
            taken.Add(command);
        return taken;
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name != DbLoggerCategory.Name) return;
        var subscription = listener.Subscribe(this, name => name == RelationalEventId.CommandExecuted.Name);
        lock (_lock) _subscriptions.Add(subscription);
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is CommandExecutedEventData executed)
            _commands.Enqueue(CapturedCommand.From(executed.Command, executed.Duration));
    }

    void IObserver<DiagnosticListener>.OnCompleted() { }
    void IObserver<DiagnosticListener>.OnError(Exception error) { }
    void IObserver<KeyValuePair<string, object?>>.OnCompleted() { }
    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error) { }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var subscription in _subscriptions)
                subscription.Dispose();
            _subscriptions.Clear();
        }
    }
}

/// <summary>Raw SQL on the app's database file through Microsoft.Data.Sqlite: the baseline, and query plans.</summary>
public sealed class RawSql : IDisposable
{
    private readonly SqliteConnection _connection;

    public RawSql(string databaseFile)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        _connection.Open();
    }

    public SqliteConnection Connection => _connection;

    /// <summary>The commands prepared once on one open connection, to run again and again.</summary>
    public PreparedBatch Prepare(IReadOnlyList<CapturedCommand> commands) =>
        new(commands.Select(c =>
        {
            var command = c.CreateOn(_connection);
            command.Prepare();
            return command;
        }).ToList());

    /// <summary>EXPLAIN QUERY PLAN of a command, as SQLite's indented tree.</summary>
    public string Explain(CapturedCommand command)
    {
        using var explain = command.CreateOn(_connection, "EXPLAIN QUERY PLAN ");
        using var reader = explain.ExecuteReader();
        var depth = new Dictionary<long, int>();
        var lines = new List<string>();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var parent = reader.GetInt64(1);
            var level = depth.TryGetValue(parent, out var d) ? d + 1 : 0;
            depth[id] = level;
            lines.Add(new string(' ', level * 3) + "`--" + reader.GetString(3));
        }
        return string.Join('\n', lines);
    }

    public string SqliteVersion()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }

    public void Dispose() => _connection.Dispose();
}

/// <summary>Prepared commands run in order; every row and column is read, as a materializer would.</summary>
public sealed class PreparedBatch(IReadOnlyList<SqliteCommand> commands) : IDisposable
{
    public int Count => commands.Count;

    /// <summary>
    /// Runs every command; returns, per command, the rows it returned (each row's column values). When given,
    /// <paramref name="milliseconds"/> gets each command's time.
    /// </summary>
    public List<List<object[]>> Run(double[]? milliseconds = null)
    {
        var results = new List<List<object[]>>(commands.Count);
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            var started = Stopwatch.GetTimestamp();
            var rows = new List<object[]>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var values = new object[reader.FieldCount];
                    reader.GetValues(values);
                    rows.Add(values);
                }
            }
            results.Add(rows);
            if (milliseconds is not null)
                milliseconds[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return results;
    }

    public void Dispose()
    {
        foreach (var command in commands)
            command.Dispose();
    }
}
