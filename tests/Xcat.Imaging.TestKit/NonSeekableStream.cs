namespace Xcat.Imaging.TestKit;

/// <summary>
/// Wraps a stream and hides seeking: <see cref="CanSeek"/> is false and <see cref="Position"/>, <see cref="Length"/>,
/// <see cref="Seek"/> and <see cref="SetLength"/> throw, as on a pipe or a compression stream (the runtime's
/// <c>WrappedStream(canSeek: false)</c>). Reads may be capped to prove that callers loop on short reads;
/// <see cref="Reading"/> and <see cref="Writing"/> make a one-way pipe end, and <see cref="FailWith"/> a broken one.
/// </summary>
public sealed class NonSeekableStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly int _maxReadSize;
    private readonly bool _readable;
    private readonly bool _writable;
    private readonly bool _yieldOnAsyncWrite;

    /// <summary>Wraps <paramref name="inner"/>, reading and writing as it does, with reads capped at <paramref name="maxReadSize"/>.</summary>
    public NonSeekableStream(Stream inner, bool leaveOpen = false, int maxReadSize = int.MaxValue)
        : this(inner, leaveOpen, maxReadSize, readable: true, writable: true, yieldOnAsyncWrite: false)
    {
    }

    private NonSeekableStream(Stream inner, bool leaveOpen, int maxReadSize, bool readable, bool writable, bool yieldOnAsyncWrite)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReadSize, 1);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _maxReadSize = maxReadSize;
        _readable = readable;
        _writable = writable;
        _yieldOnAsyncWrite = yieldOnAsyncWrite;
    }

    /// <summary>Gets whether the stream was disposed.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Gets or sets an exception that every later read or write throws, as a pulled cable or a full disk would.</summary>
    public Exception? FailWith { get; set; }

    public override bool CanRead => !IsDisposed && _readable && _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => !IsDisposed && _writable && _inner.CanWrite;

    /// <summary>
    /// The read end of a pipe holding <paramref name="data"/>: not writable, and reads come back short
    /// (<paramref name="maxReadSize"/> bytes at most) as a pipe's do.
    /// </summary>
    public static NonSeekableStream Reading(byte[] data, int maxReadSize = 7000)
        => new(new MemoryStream(data, writable: false), leaveOpen: false, maxReadSize, readable: true, writable: false, yieldOnAsyncWrite: false);

    /// <summary>
    /// The write end of a pipe into <paramref name="sink"/>: not readable, asynchronous writes complete later, and
    /// disposing leaves <paramref name="sink"/> open so that a test can read what arrived.
    /// </summary>
    public static NonSeekableStream Writing(Stream sink)
        => new(sink, leaveOpen: true, int.MaxValue, readable: false, writable: true, yieldOnAsyncWrite: true);

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
        CheckRead();
        return _inner.Read(buffer[..Math.Min(buffer.Length, _maxReadSize)]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CheckRead();
        return _inner.ReadAsync(buffer[..Math.Min(buffer.Length, _maxReadSize)], cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        CheckWrite();
        _inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_yieldOnAsyncWrite)
        {
            return YieldThenWriteAsync(buffer);
        }

        CheckWrite();
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

    private async ValueTask YieldThenWriteAsync(ReadOnlyMemory<byte> buffer)
    {
        await Task.Yield();
        Write(buffer.Span);
    }

    private void CheckRead()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!_readable)
        {
            throw new NotSupportedException("This end of the pipe only writes.");
        }

        if (FailWith is not null)
        {
            throw FailWith;
        }
    }

    private void CheckWrite()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!_writable)
        {
            throw new NotSupportedException("This end of the pipe only reads.");
        }

        if (FailWith is not null)
        {
            throw FailWith;
        }
    }
}
