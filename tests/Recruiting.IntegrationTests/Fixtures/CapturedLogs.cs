using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Recruiting.IntegrationTests.Fixtures;

/// <summary>Keeps every log line the app writes, so tests can inspect them (and failures can show them).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    /// <summary>Every capture in this test process, so a failed assertion can show the server error behind a 500.</summary>
    public static ConcurrentBag<CapturedLogs> All { get; } = new();

    public CapturedLogs() => All.Add(this);

    /// <summary>
    /// The lowest level kept. A test that searches the logs for personal data lowers it, and the host's
    /// <c>Logging:LogLevel</c> settings with it (they filter before any provider sees a line).
    /// </summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;

    public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

    /// <summary>
    /// What a structured sink would store besides the message: each kept line's values ("name=value", the template
    /// included) and the state of every scope begun, as text.
    /// </summary>
    public ConcurrentQueue<string> Structured { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    public string Errors(LogLevel atLeast = LogLevel.Error) => string.Join(Environment.NewLine, Entries.Where(e => e.Level >= atLeast)
        .Select(e => $"{e.Category}: {e.Message} {e.Exception}"));

    private static string Render(object? state) => state switch
    {
        null => "",
        string text => text,
        IEnumerable<KeyValuePair<string, object?>> values => string.Join("; ", values.Select(v => $"{v.Key}={Render(v.Value)}")),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Render)),
        _ => state.ToString() ?? "",
    };

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            owner.Structured.Enqueue($"{category} scope: {Render(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.MinimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            owner.Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
            owner.Structured.Enqueue($"{category} {eventId.Name}: {Render(state)}");
        }
    }
}
