namespace Xcat.Imaging.Internal;

/// <summary>
/// Base of the forward-only write streams here, the twin of <see cref="ReadOnlyStream"/>: owns a destination it
/// disposes unless asked to leave it open, and refuses seeking and reading. A derived stream finishes its output in
/// <see cref="Complete"/> and frees what it holds in <see cref="ReleaseResources"/>.
/// </summary>
internal abstract class WriteOnlyStream(Stream destination, bool leaveOpen) : Stream
{
    private bool _disposed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    protected Stream Destination { get; } = destination;

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            try
            {
                await CompleteAsync().ConfigureAwait(false);
            }
            finally
            {
                ReleaseResources();
                if (!leaveOpen)
                {
                    await Destination.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            try
            {
                Complete();
            }
            finally
            {
                ReleaseResources();
                if (!leaveOpen)
                {
                    Destination.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Writes what the stream still holds (an encoder's last block) when it is disposed.</summary>
    protected virtual void Complete()
    {
    }

    /// <summary>The asynchronous <see cref="Complete"/>, for <see cref="DisposeAsync"/>.</summary>
    /// <returns>A task that completes when the output is complete.</returns>
    protected virtual ValueTask CompleteAsync() => ValueTask.CompletedTask;

    /// <summary>Frees what the derived stream holds (native state), after <see cref="Complete"/> even when it failed.</summary>
    protected virtual void ReleaseResources()
    {
    }

    protected void EnsureNotDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
