using Xcat.Imaging.Internal;
using Xcat.Imaging.Trees;

namespace Xcat.Imaging.Tar;

/// <summary>
/// Expands the stored data of a GNU sparse member (its data segments back to back) into the real file: holes read
/// as zeros, and <see cref="ISparseData.SkipHole"/> steps over them without producing them.
/// </summary>
/// <param name="stored">The member's stored data, exactly the sum of the segment lengths.</param>
/// <param name="segments">The validated map: in order, not overlapping, within <paramref name="realSize"/>.</param>
/// <param name="realSize">The size of the real file.</param>
internal sealed class SparseDataStream(Stream stored, IReadOnlyList<SparseSegment> segments, long realSize)
    : ReadOnlyStream(stored, leaveOpen: true), ISparseData
{
    private long _position;
    private int _segment;

    public override long Length => realSize;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public long SkipHole()
    {
        var hole = HoleLeft();
        _position += hole;
        return hole;
    }

    public override int Read(Span<byte> buffer)
    {
        if (Zeros(buffer.Length) is var zeros and >= 0)
        {
            buffer[..zeros].Clear();
            _position += zeros;
            return zeros;
        }

        var read = Source.Read(buffer[..DataLeft(buffer.Length)]);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Zeros(buffer.Length) is var zeros and >= 0)
        {
            buffer.Span[..zeros].Clear();
            _position += zeros;
            return zeros;
        }

        var read = await Source.ReadAsync(buffer[..DataLeft(buffer.Length)], cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    /// <summary>Moves past segments that end at or before the position (empty ones included).</summary>
    private void Advance()
    {
        while (_segment < segments.Count && segments[_segment].End <= _position)
        {
            _segment++;
        }
    }

    /// <summary>Bytes of hole from the position: up to the next segment, or to the end of the file after the last.</summary>
    private long HoleLeft()
    {
        Advance();
        var next = _segment < segments.Count ? segments[_segment].Offset : realSize;
        return Math.Max(0, next - _position);
    }

    /// <summary>How many zeros a read of <paramref name="count"/> yields at the position, or -1 when it is at data.</summary>
    private int Zeros(int count)
    {
        if (_position >= realSize || count == 0)
        {
            return 0;
        }

        var hole = HoleLeft();
        return hole > 0 ? (int)Math.Min(count, hole) : -1;
    }

    private int DataLeft(int count) => (int)Math.Min(count, segments[_segment].End - _position);
}
