using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recruiting.Core.Uploads;
using Recruiting.Infrastructure.Scanning;

namespace Recruiting.UnitTests.Uploads;

/// <summary>The clamd protocol as <see cref="ClamdClient"/> and <see cref="ClamAvScanner"/> speak it, against a fake clamd on loopback.</summary>
public sealed class ClamAvScannerTests
{
    [Fact]
    public async Task Sends_zINSTREAM_then_chunks_of_at_most_64_KiB_with_big_endian_lengths_then_a_zero_length()
    {
        var upload = new byte[2 * ClamdClient.ChunkBytes + 1234];
        Random.Shared.NextBytes(upload);
        await using var clamd = FakeClamd.Start(async (connection, received) =>
        {
            await received.ReadInstreamAsync(connection);
            await connection.SendAsync("stream: OK\0"u8.ToArray());
        });

        var verdict = await Scanner(clamd.Port).ScanAsync(new MemoryStream(upload), CancellationToken.None);

        Assert.Equal(ScanVerdict.Clean, verdict);
        var received = await clamd.Received;
        Assert.Equal("zINSTREAM\0", received.Command);
        Assert.Equal([ClamdClient.ChunkBytes, ClamdClient.ChunkBytes, 1234], received.ChunkLengths);
        Assert.True(received.Terminated);
        Assert.Equal(upload, received.Data.ToArray());
    }

    [Fact]
    public async Task Scans_from_the_streams_position()
    {
        await using var clamd = FakeClamd.Start(async (connection, received) =>
        {
            await received.ReadInstreamAsync(connection);
            await connection.SendAsync("stream: OK\0"u8.ToArray());
        });
        var content = new MemoryStream("skipped|scanned"u8.ToArray()) { Position = 8 };

        await Scanner(clamd.Port).ScanAsync(content, CancellationToken.None);

        Assert.Equal("scanned", Encoding.ASCII.GetString((await clamd.Received).Data.ToArray()));
    }

    [Theory]
    [InlineData("stream: OK\0", ScanVerdict.Clean)]
    [InlineData("stream: Eicar-Test-Signature.UNOFFICIAL FOUND\0", ScanVerdict.Infected)]
    [InlineData("stream: Win.Test.EICAR_HDB-1 FOUND", ScanVerdict.Infected)] // the end of the connection ends the answer too
    [InlineData("INSTREAM size limit exceeded. ERROR\0", ScanVerdict.Unavailable)]
    [InlineData("stream: Can't allocate memory ERROR\0", ScanVerdict.Unavailable)]
    [InlineData("UNKNOWN COMMAND\0", ScanVerdict.Unavailable)]
    [InlineData("stream: FOUND\0", ScanVerdict.Unavailable)] // no signature name: not an answer we understand
    [InlineData("", ScanVerdict.Unavailable)] // closed without a word
    public async Task Each_answer_gives_its_verdict(string answer, ScanVerdict expected)
    {
        await using var clamd = FakeClamd.Start(async (connection, received) =>
        {
            await received.ReadInstreamAsync(connection);
            await connection.SendAsync(Encoding.ASCII.GetBytes(answer));
        });

        Assert.Equal(expected, await Scanner(clamd.Port).ScanAsync(new MemoryStream("%PDF-1.4"u8.ToArray()), CancellationToken.None));
    }

    [Fact]
    public void The_signature_name_is_read_from_a_FOUND_answer()
    {
        Assert.Equal((ScanVerdict.Infected, "Eicar-Test-Signature.UNOFFICIAL"),
            ClamAvScanner.Interpret("stream: Eicar-Test-Signature.UNOFFICIAL FOUND"));
        Assert.Equal((ScanVerdict.Unavailable, "INSTREAM size limit exceeded. ERROR"),
            ClamAvScanner.Interpret("INSTREAM size limit exceeded. ERROR"));
    }

    [Fact]
    public async Task A_clamd_that_answers_and_hangs_up_in_the_middle_of_a_large_upload_gives_no_verdict()
    {
        // What clamd does when the stream passes its StreamMaxLength: answer at once and close, unread data and all.
        await using var clamd = FakeClamd.Start(async (connection, _) =>
        {
            var some = new byte[100_000];
            await connection.ReceiveAsync(some);
            await connection.SendAsync("INSTREAM size limit exceeded. ERROR\0"u8.ToArray());
            connection.Close();
        });

        var verdict = await Scanner(clamd.Port).ScanAsync(new MemoryStream(new byte[8 * 1024 * 1024]), CancellationToken.None);

        Assert.Equal(ScanVerdict.Unavailable, verdict);
    }

    [Fact]
    public async Task A_clamd_that_never_answers_gives_no_verdict_after_the_timeout()
    {
        await using var clamd = FakeClamd.Start(async (connection, received) =>
        {
            await received.ReadInstreamAsync(connection);
            await Task.Delay(Timeout.Infinite, UntilClosed(connection));
        });
        var clock = Stopwatch.StartNew();

        var verdict = await Scanner(clamd.Port, timeoutSeconds: 1).ScanAsync(new MemoryStream("%PDF-1.4"u8.ToArray()), CancellationToken.None);

        Assert.Equal(ScanVerdict.Unavailable, verdict);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Nothing_listening_gives_no_verdict()
    {
        var port = FakeClamd.ClosedPort();

        Assert.Equal(ScanVerdict.Unavailable, await Scanner(port).ScanAsync(new MemoryStream("%PDF-1.4"u8.ToArray()), CancellationToken.None));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_verdict_it_throws()
    {
        await using var clamd = FakeClamd.Start(async (connection, received) =>
        {
            await received.ReadInstreamAsync(connection);
            await Task.Delay(Timeout.Infinite, UntilClosed(connection));
        });
        using var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Scanner(clamd.Port).ScanAsync(new MemoryStream("%PDF-1.4"u8.ToArray()), gone.Token));
    }

    [Fact]
    public async Task Ping_is_true_on_PONG()
    {
        await using var clamd = FakeClamd.Start(async (connection, received) =>
        {
            var command = new byte[6];
            await connection.ReceiveAsync(command);
            received.Command = Encoding.ASCII.GetString(command);
            await connection.SendAsync("PONG\0"u8.ToArray());
        });

        Assert.True(await new ClamdClient("127.0.0.1", clamd.Port).PingAsync(CancellationToken.None));
        Assert.Equal("zPING\0", (await clamd.Received).Command);
    }

    /// <summary>A socket's receive with no data ends when the peer closes; the fake waits on that instead of forever.</summary>
    private static CancellationToken UntilClosed(Socket connection)
    {
        var stopped = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            try { while (await connection.ReceiveAsync(new byte[1]) > 0) { } }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
            await stopped.CancelAsync();
        });
        return stopped.Token;
    }

    private static ClamAvScanner Scanner(int port, int timeoutSeconds = 10) =>
        new(Options.Create(new ClamAvOptions { Enabled = true, Host = "127.0.0.1", Port = port, TimeoutSeconds = timeoutSeconds }),
            NullLogger<ClamAvScanner>.Instance);

    /// <summary>What the fake clamd read from its one connection.</summary>
    private sealed class Received
    {
        public string? Command { get; set; }
        public List<int> ChunkLengths { get; } = [];
        public MemoryStream Data { get; } = new();
        public bool Terminated { get; private set; }

        /// <summary>Reads "zINSTREAM\0", then chunks up to the zero length, as clamd does.</summary>
        public async Task ReadInstreamAsync(Socket connection)
        {
            Command = Encoding.ASCII.GetString(await ReadExactlyAsync(connection, 10));
            while (true)
            {
                var length = (int)BinaryPrimitives.ReadUInt32BigEndian(await ReadExactlyAsync(connection, 4));
                if (length == 0)
                {
                    Terminated = true;
                    return;
                }
                ChunkLengths.Add(length);
                Data.Write(await ReadExactlyAsync(connection, length));
            }
        }

        private static async Task<byte[]> ReadExactlyAsync(Socket connection, int count)
        {
            var buffer = new byte[count];
            var read = 0;
            while (read < count)
            {
                var n = await connection.ReceiveAsync(buffer.AsMemory(read));
                if (n == 0)
                    throw new IOException("The client closed the connection early.");
                read += n;
            }
            return buffer;
        }
    }

    /// <summary>A one-connection clamd on 127.0.0.1: accepts, runs the script, closes.</summary>
    private sealed class FakeClamd : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private Task<Received> _served = Task.FromResult(new Received());

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>What was read, once the script has finished.</summary>
        public Task<Received> Received => _served;

        public static FakeClamd Start(Func<Socket, Received, Task> script)
        {
            var clamd = new FakeClamd();
            clamd._listener.Start();
            clamd._served = clamd.ServeAsync(script);
            return clamd;
        }

        public static int ClosedPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private async Task<Received> ServeAsync(Func<Socket, Received, Task> script)
        {
            using var connection = await _listener.AcceptSocketAsync();
            var received = new Received();
            try
            {
                await script(connection, received);
            }
            catch (OperationCanceledException)
            {
                // The client hung up while the script waited: what it sent is still there to inspect.
            }
            try { connection.Shutdown(SocketShutdown.Both); }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { /* the script closed it already */ }
            return received;
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try { await _served.WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception) { /* a script that failed on a client's early close has nothing left to clean */ }
        }
    }
}
