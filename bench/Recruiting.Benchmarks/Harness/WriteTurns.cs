using System.Diagnostics.Metrics;
using Recruiting.Infrastructure.Data;

namespace Recruiting.Benchmarks.Harness;

/// <summary>
/// Adds up how long the turns that the app's SQLite write gate gives were held (its meter
/// <see cref="SqliteWriteGate.MeterName"/>). Held time over a phase's wall time is how busy SQLite's single write lock was:
/// near 1, the lock, not the processors, limits the rate.
/// </summary>
public sealed class WriteTurns : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _heldMicroseconds;

    public WriteTurns()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SqliteWriteGate.MeterName && instrument.Name == SqliteWriteGate.HeldInstrument)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, ms, _, _) => Interlocked.Add(ref _heldMicroseconds, (long)(ms * 1000)));
        _listener.Start();
    }

    /// <summary>The held time of every turn so far, in all.</summary>
    public TimeSpan Held => TimeSpan.FromMicroseconds(Interlocked.Read(ref _heldMicroseconds));

    public void Dispose() => _listener.Dispose();
}
