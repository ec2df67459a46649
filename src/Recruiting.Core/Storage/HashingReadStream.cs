using System.Security.Cryptography;

namespace Recruiting.Core.Storage;

/// <summary>
/// A forward-only view of another stream that counts the bytes and hashes them (SHA-256) as they are read,
/// so every blob store reports size and hash the same way without buffering the content.
/// </summary>
/// <remarks>
/// It is deliberately not seekable: a consumer that could seek back would make the hash describe bytes
/// it read, not bytes it kept. Consumers that need to retry (the Azure SDK) then buffer one chunk at a time.
/// </remarks>
public sealed class HashingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _sha256;
    private bool _disposed;

    public HashingReadStream(Stream inner, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanRead)
            throw new ArgumentException("The stream must be readable.", nameof(inner));
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes read through this stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>True once a read has returned 0, i.e. the whole inner stream has passed through.</summary>
    public bool IsCompleted => _sha256 is not null;

    /// <summary>Lower-case hex SHA-256 of every byte read.</summary>
    /// <exception cref="InvalidOperationException">The inner stream has not been read to its end,
    /// so the hash would describe a prefix of the content.</exception>
    public string Sha256
    {
        get
        {
            return _sha256 ?? throw new InvalidOperationException("The stream has not been read to its end.");
        }
    }

    public override bool CanRead => !_disposed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Observe(buffer, _inner.Read(buffer));
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Observe(buffer.Span, read);
    }

    private int Observe(ReadOnlySpan<byte> buffer, int read)
    {
        if (read > 0)
        {
            if (IsCompleted)
                throw new InvalidOperationException("The inner stream returned data after signalling its end.");
            _hash.AppendData(buffer[..read]);
            BytesRead += read;
        }
        else if (buffer.Length > 0 && !IsCompleted)
        {
            // Only a non-empty request answered with 0 means end-of-stream. The hash is taken now,
            // so it stays readable after the stream (and its IncrementalHash) is disposed.
            _sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        }
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _hash.Dispose();
            if (!_leaveOpen)
                _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _hash.Dispose();
            if (!_leaveOpen)
                await _inner.DisposeAsync().ConfigureAwait(false);
        }
        GC.SuppressFinalize(this);
    }
}
