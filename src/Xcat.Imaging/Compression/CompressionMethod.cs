namespace Xcat.Imaging.Compression;

/// <summary>A compression format for archives (packimage's <c>-c</c>, xCAT's packimage.pm, archive and compression; kernel support in xCAT's packimage.pm, file list).</summary>
public enum CompressionMethod
{
    /// <summary>No compression: the bytes are stored as they are.</summary>
    None,

    /// <summary>gzip (RFC 1952), written as one member by <see cref="ParallelGzipStream"/>.</summary>
    Gzip,

    /// <summary>Zstandard (RFC 8878), with a content checksum.</summary>
    Zstd,

    /// <summary>xz (LZMA2) with a CRC32 check, the only check besides none that the kernel accepts.</summary>
    Xz,

    /// <summary>bzip2; read only.</summary>
    Bzip2,
}
