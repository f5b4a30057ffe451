using System.Text;

namespace Xcat.Imaging.Bundles.Tests.Manifest;

/// <summary>
/// A seekable, read-only manifest of exactly <c>length</c> bytes generated on the fly: an image and one huge
/// <c>&lt;padding&gt;</c> element, so size limits can be tested without building the document in memory.
/// </summary>
internal sealed class GeneratedManifestStream(long length) : Stream
{
    private static readonly byte[] s_head = Encoding.ASCII.GetBytes("<?xml version=\"1.0\"?>\n<xcatimage><osimage><imagename>big</imagename></osimage><padding>");
    private static readonly byte[] s_tail = Encoding.ASCII.GetBytes("</padding></xcatimage>\n");
    private long _position;

    /// <summary>Gets the bytes that are not padding.</summary>
    public static int Overhead => s_head.Length + s_tail.Length;

    /// <summary>Gets how many bytes have been read.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        var tailStart = length - s_tail.Length;
        for (var i = 0; i < count; i++)
        {
            var at = _position + i;
            buffer[i] = at < s_head.Length ? s_head[at] : at >= tailStart ? s_tail[at - tailStart] : (byte)'x';
        }

        _position += count;
        BytesRead += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
