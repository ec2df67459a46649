using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Recruiting.Infrastructure.Jobs;

/// <summary>
/// Hangfire logs through one log provider per process (a static, set by every host as it starts). Where several hosts
/// share a process (integration tests), the provider can belong to a host already disposed, and Hangfire's first use of
/// a filter attribute such as <c>[AutomaticRetry]</c> then fails to get a logger, failing the enqueue. A logger asked
/// of a disposed host logs nothing instead; in a process with one host this changes nothing.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return NoLog.Instance;
        }
    }

    private sealed class NoLog : ILog
    {
        public static readonly NoLog Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
