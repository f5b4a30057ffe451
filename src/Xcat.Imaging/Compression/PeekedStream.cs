namespace Xcat.Imaging.Compression;

/// <summary>
/// A read-only stream that has read the first bytes of its source to detect the compression and replays them before
/// the rest, so that an unseekable source loses nothing. Created by <see cref="CompressionDetector.Peek"/>.
/// </summary>
public sealed class PeekedStream : Stream
{
    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private readonly byte[] _header;
    private int _headerOffset;
    private bool _disposed;

    internal PeekedStream(Stream source, byte[] header, bool leaveOpen)
    {
        _source = source;
        _header = header;
        _leaveOpen = leaveOpen;
        Method = CompressionDetector.Detect(header);
    }

    /// <summary>Gets the compression detected from the first bytes.</summary>
    public CompressionMethod Method { get; }

    /// <summary>
    /// Gets the bytes read for detection: <see cref="CompressionDetector.HeaderLength"/> bytes, or fewer if the source is shorter.
    /// </summary>
    public ReadOnlyMemory<byte> Header => _header;

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return TryReadHeader(buffer, out var count) ? count : _source.Read(buffer);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return TryReadHeader(buffer.Span, out var count) ? ValueTask.FromResult(count) : _source.ReadAsync(buffer, cancellationToken);
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                await _source.DisposeAsync().ConfigureAwait(false);
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                _source.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private bool TryReadHeader(Span<byte> buffer, out int count)
    {
        count = Math.Min(buffer.Length, _header.Length - _headerOffset);
        if (count <= 0 || buffer.IsEmpty)
        {
            return false;
        }

        _header.AsSpan(_headerOffset, count).CopyTo(buffer);
        _headerOffset += count;
        return true;
    }
}
