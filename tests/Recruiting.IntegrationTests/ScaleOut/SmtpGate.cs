using System.Net;
using System.Net.Sockets;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>
/// A TCP relay in front of the SMTP sink that a test can close: while held, a sender's connection is accepted and then
/// kept waiting (no greeting), so a job that sends mail stops inside its send, mid-job, for as long as the test likes.
/// That is how these tests catch a job in the act without changing the portal.
/// </summary>
public sealed class SmtpGate : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private readonly object _gate = new();
    private TaskCompletionSource _open = Opened();
    private int _waiting;

    public SmtpGate(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted and kept waiting while the gate is held.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>From now on, new senders wait at the gate.</summary>
    public void Hold()
    {
        lock (_gate)
            if (_open.Task.IsCompleted)
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lets every waiting sender through, and every later one.</summary>
    public void Release()
    {
        lock (_gate)
            _open.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Release();
        try { await _accepting; } catch (OperationCanceledException) { } catch (SocketException) { }
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Task open;
                lock (_gate)
                    open = _open.Task;
                if (!open.IsCompleted)
                {
                    Interlocked.Increment(ref _waiting);
                    try { await open.WaitAsync(_stopping.Token); }
                    finally { Interlocked.Decrement(ref _waiting); }
                }
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stopping.Token);
                var downstream = client.GetStream();
                var up = upstream.GetStream();
                // Either side closing ends the relay; the other direction is then cut with the sockets.
                await Task.WhenAny(downstream.CopyToAsync(up, _stopping.Token), up.CopyToAsync(downstream, _stopping.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The sender was killed, or the gate is closing: nothing to relay any more.
            }
        }
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
