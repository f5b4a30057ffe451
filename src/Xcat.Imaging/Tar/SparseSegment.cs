namespace Xcat.Imaging.Tar;

/// <summary>One stretch of data in a GNU sparse file: <paramref name="Offset"/> in the real file, <paramref name="Length"/> bytes.</summary>
internal readonly record struct SparseSegment(long Offset, long Length)
{
    public long End => Offset + Length;
}
