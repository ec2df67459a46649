using System.Diagnostics;

namespace Recruiting.BrowserTests;

/// <summary>A bounded poll for work the app does in the background (Hangfire jobs); never a fixed sleep.</summary>
public static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Polls until the condition holds; fails naming <paramref name="what"/> after the timeout.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (!await condition())
        {
            if (elapsed.Elapsed > limit)
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0} s waiting for {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(100)); // the poll's interval, not a wait for the app
        }
    }
}
