namespace Xcat.Imaging.TestKit;

/// <summary>
/// A write-only, unseekable sink that counts the bytes written and keeps only the first <c>keep</c> of them, for
/// outputs too big to hold in memory.
/// </summary>
public sealed class CountingSinkStream(int keep = 4096) : Stream
{
    private readonly MemoryStream _head = new();

    /// <summary>Gets how many bytes were written.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Gets how many write calls there were, for writers that promise to batch.</summary>
    public int Writes { get; private set; }

    /// <summary>Gets the first bytes written, up to the <c>keep</c> limit.</summary>
    public byte[] Head => _head.ToArray();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var room = (int)Math.Max(0, keep - _head.Length);
        _head.Write(buffer[..Math.Min(room, buffer.Length)]);
        BytesWritten += buffer.Length;
        Writes++;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
