namespace Xcat.Imaging.Cpio;

/// <summary>
/// The data of the current regular-file entry of a <see cref="CpioReader"/>: a read-only, unseekable window onto
/// the archive stream that ends after the entry's <c>c_filesize</c> bytes. It becomes unusable when the reader moves
/// to the next entry.
/// </summary>
internal sealed class CpioDataStream : Stream
{
    private readonly CpioReader _reader;
    private readonly long _length;
    private bool _isDisposed;

    internal CpioDataStream(CpioReader reader, long length)
    {
        _reader = reader;
        _length = length;
    }

    public override bool CanRead => !_isDisposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length
    {
        get
        {
            ObjectDisposedException.ThrowIf(_isDisposed, this);
            return _length;
        }
    }

    public override long Position
    {
        get
        {
            ObjectDisposedException.ThrowIf(_isDisposed, this);
            return _length - _reader.DataRemaining;
        }

        set => throw new NotSupportedException("The data stream of a cpio entry cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        return _reader.ReadData(buffer);
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        ObjectDisposedException.ThrowIf(_isDisposed, this);
        return _reader.ReadDataAsync<Internal.AsyncStreamAdapter>(buffer, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The data stream of a cpio entry cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("The data stream of a cpio entry is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The data stream of a cpio entry is read-only.");

    /// <summary>Called by the reader when it moves past the entry.</summary>
    internal void Invalidate() => _isDisposed = true;

    protected override void Dispose(bool disposing)
    {
        _isDisposed = true;
        base.Dispose(disposing);
    }
}
