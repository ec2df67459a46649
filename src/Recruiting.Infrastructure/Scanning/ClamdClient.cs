using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Recruiting.Infrastructure.Scanning;

/// <summary>
/// The client side of clamd's TCP protocol, for the two commands the portal needs. Commands are sent in the
/// <c>z</c> form (NUL-terminated), so clamd's answer is NUL-terminated too. One connection per command.
/// </summary>
public sealed class ClamdClient(string host, int port)
{
    /// <summary>Bytes of the upload in one INSTREAM chunk. Far below clamd's own limits; big enough to keep the count of writes low.</summary>
    public const int ChunkBytes = 64 * 1024;

    /// <summary>clamd's answers are one short line; anything longer is not an answer we would understand.</summary>
    private const int MaxReplyBytes = 4096;

    /// <summary>
    /// <c>zINSTREAM</c>: sends <paramref name="content"/> from its position to its end as chunks, each a 4-byte big-endian
    /// length and that many bytes, then a zero length; returns clamd's answer without its NUL (<c>stream: OK</c>,
    /// <c>stream: NAME FOUND</c>, or <c>... ERROR</c>).
    /// </summary>
    /// <exception cref="IOException">clamd closed the connection without an answer.</exception>
    /// <exception cref="SocketException">clamd cannot be reached.</exception>
    public async Task<string> InstreamAsync(Stream content, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(cancellationToken);
        await using var network = new NetworkStream(socket, ownsSocket: false);
        var buffer = ArrayPool<byte>.Shared.Rent(4 + ChunkBytes);
        try
        {
            var sent = await TrySendAsync(network, "zINSTREAM\0"u8.ToArray(), cancellationToken);
            int read;
            while (sent && (read = await content.ReadAsync(buffer.AsMemory(4, ChunkBytes), cancellationToken)) > 0)
            {
                BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
                sent = await TrySendAsync(network, buffer.AsMemory(0, 4 + read), cancellationToken);
            }
            if (sent)
            {
                BinaryPrimitives.WriteUInt32BigEndian(buffer, 0);
                sent = await TrySendAsync(network, buffer.AsMemory(0, 4), cancellationToken);
            }

            // When the stream passes clamd's StreamMaxLength, clamd answers and closes while we are still sending: a
            // failed send is then followed by that answer, which says why.
            return await ReadReplyAsync(network, cancellationToken)
                   ?? throw new IOException(sent
                       ? "clamd closed the connection without an answer."
                       : "clamd closed the connection while the upload was being sent, without an answer.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary><c>zPING</c>: true when clamd answers <c>PONG</c>.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(cancellationToken);
        await using var network = new NetworkStream(socket, ownsSocket: false);
        await network.WriteAsync("zPING\0"u8.ToArray(), cancellationToken);
        return await ReadReplyAsync(network, cancellationToken) == "PONG";
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<bool> TrySendAsync(NetworkStream network, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await network.WriteAsync(data, cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Reads up to the terminating NUL (or the end of the connection); null when clamd sent nothing.</summary>
    private static async Task<string?> ReadReplyAsync(NetworkStream network, CancellationToken cancellationToken)
    {
        var reply = new byte[MaxReplyBytes];
        var length = 0;
        try
        {
            while (length < reply.Length)
            {
                var read = await network.ReadAsync(reply.AsMemory(length), cancellationToken);
                if (read == 0)
                    break;
                var end = Array.IndexOf(reply, (byte)0, length, read);
                length += read;
                if (end >= 0)
                {
                    length = end;
                    break;
                }
            }
        }
        catch (IOException) when (length > 0)
        {
            // A reset after part of an answer: what arrived is still the answer's start, and is judged as it is.
        }
        catch (IOException)
        {
            return null;
        }
        return length == 0 ? null : Encoding.ASCII.GetString(reply, 0, length).Trim();
    }
}
