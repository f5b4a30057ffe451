namespace Xcat.Imaging.Internal;

/// <summary>
/// Base of the forward-only read streams here: owns a source it disposes unless asked to leave it open, and refuses
/// seeking and writing.
/// </summary>
internal abstract class ReadOnlyStream(Stream source, bool leaveOpen) : Stream
{
    private bool _disposed;

    /// <summary>For a stream that reads through its owner (a member's data window) and so holds no source.</summary>
    protected ReadOnlyStream()
        : this(Null, leaveOpen: true)
    {
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

    protected Stream Source { get; } = source;

    protected bool IsDisposed => _disposed;

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public abstract override int Read(Span<byte> buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            ReleaseResources();
            if (!leaveOpen)
            {
                await Source.DisposeAsync().ConfigureAwait(false);
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            ReleaseResources();
            if (!leaveOpen)
            {
                Source.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Frees what the derived stream holds (native state, an inner library stream).</summary>
    protected virtual void ReleaseResources()
    {
    }

    protected void EnsureNotDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
