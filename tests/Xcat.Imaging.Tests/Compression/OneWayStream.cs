namespace Xcat.Imaging.Tests.Compression;

/// <summary>A stream that only reads or only writes forward, like a pipe: no Length, Position or Seek.</summary>
internal sealed class OneWayStream(Stream inner, bool readable) : Stream
{
    public bool IsDisposed { get; private set; }

    public Exception? FailWith { get; set; }

    public override bool CanRead => readable && !IsDisposed;

    public override bool CanSeek => false;

    public override bool CanWrite => !readable && !IsDisposed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public static OneWayStream Reading(byte[] data) => new(new MemoryStream(data), readable: true);

    public static OneWayStream Writing(Stream sink) => new(sink, readable: false);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!readable)
        {
            throw new NotSupportedException();
        }

        if (FailWith is not null)
        {
            throw FailWith;
        }

        // Short reads, as pipes give.
        return inner.Read(buffer[..Math.Min(buffer.Length, 7000)]);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (readable)
        {
            throw new NotSupportedException();
        }

        if (FailWith is not null)
        {
            throw FailWith;
        }

        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        Write(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
