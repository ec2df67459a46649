using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>
/// An SMTP server that refuses every recipient the way a real one often does, quoting the address in its reply
/// ("550 5.1.1 &lt;ada@example.test&gt;: Recipient address rejected"). Counts the refusals.
/// </summary>
public sealed class RefusingSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _refused;

    public RefusingSmtpServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public int Refused => Volatile.Read(ref _refused);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (OperationCanceledException) { } catch (SocketException) { }
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _ = ConverseAsync(client);
        }
    }

    private async Task ConverseAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 refuser.test ESMTP");
                while (await reader.ReadLineAsync(_stopping.Token) is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO" or "HELO":
                            await writer.WriteLineAsync("250 refuser.test");
                            break;
                        case "MAIL" or "RSET" or "NOOP":
                            await writer.WriteLineAsync("250 2.0.0 Ok");
                            break;
                        case "RCPT":
                            Interlocked.Increment(ref _refused);
                            var address = line[(line.IndexOf(':') + 1)..].Trim();
                            await writer.WriteLineAsync($"550 5.1.1 {address}: Recipient address rejected: User unknown in virtual mailbox table");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 2.0.0 Bye");
                            return;
                        default:
                            await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The sender hung up, or the server is stopping.
            }
        }
    }
}
