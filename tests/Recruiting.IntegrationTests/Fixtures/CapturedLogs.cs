using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Recruiting.IntegrationTests.Fixtures;

/// <summary>Keeps every log line the app writes, so tests can inspect them (and failures can show them).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    /// <summary>Every capture in this test process, so a failed assertion can show the server error behind a 500.</summary>
    public static ConcurrentBag<CapturedLogs> All { get; } = new();

    public CapturedLogs() => All.Add(this);

    public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    public string Errors(LogLevel atLeast = LogLevel.Error) => string.Join(Environment.NewLine, Entries.Where(e => e.Level >= atLeast)
        .Select(e => $"{e.Category}: {e.Message} {e.Exception}"));

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                owner.Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
        }
    }
}
