using System.Diagnostics.Metrics;
using Recruiting.Infrastructure.Data;

namespace Recruiting.Benchmarks.Harness;

/// <summary>
/// Adds up the turns the app's SQLite write gate gives (its meter <see cref="SqliteWriteGate.MeterName"/>): how many, and
/// how long they were held in all. Held time over a phase's wall time is how busy SQLite's single write lock was: near 1,
/// the lock, not the processors, limits the rate.
/// </summary>
public sealed class WriteTurns : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _turns;
    private long _heldMicroseconds;

    public WriteTurns()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SqliteWriteGate.MeterName && instrument.Name == SqliteWriteGate.HeldInstrument)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, ms, _, _) =>
        {
            Interlocked.Increment(ref _turns);
            Interlocked.Add(ref _heldMicroseconds, (long)(ms * 1000));
        });
        _listener.Start();
    }

    /// <summary>The turns so far and their held time in all.</summary>
    public (long Turns, TimeSpan Held) Total => (Interlocked.Read(ref _turns), TimeSpan.FromMicroseconds(Interlocked.Read(ref _heldMicroseconds)));

    public void Dispose() => _listener.Dispose();
}
