namespace Xcat.Imaging.TestKit;

/// <summary>
/// Wraps a stream and hides seeking: <see cref="CanSeek"/> is false and <see cref="Position"/>, <see cref="Length"/>,
/// <see cref="Seek"/> and <see cref="SetLength"/> throw, as on a pipe or a compression stream (the runtime's
/// <c>WrappedStream(canSeek: false)</c>). Reads may be capped to prove that callers loop on short reads.
/// </summary>
public sealed class NonSeekableStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly int _maxReadSize;

    public NonSeekableStream(Stream inner, bool leaveOpen = false, int maxReadSize = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReadSize, 1);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _maxReadSize = maxReadSize;
    }

    /// <summary>Gets whether the stream was disposed.</summary>
    public bool IsDisposed { get; private set; }

    public override bool CanRead => !IsDisposed && _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => !IsDisposed && _inner.CanWrite;

    public override long Length => throw new NotSupportedException("NonSeekableStream has no length.");

    public override long Position
    {
        get => throw new NotSupportedException("NonSeekableStream has no position.");
        set => throw new NotSupportedException("NonSeekableStream has no position.");
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _inner.Read(buffer[..Math.Min(buffer.Length, _maxReadSize)]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _inner.ReadAsync(buffer[..Math.Min(buffer.Length, _maxReadSize)], cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        _inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("NonSeekableStream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("NonSeekableStream cannot seek.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !IsDisposed && !_leaveOpen)
        {
            _inner.Dispose();
        }

        IsDisposed = true;
        base.Dispose(disposing);
    }
}
