namespace Xcat.Imaging.Compression;

/// <summary>The deflate engine behind <see cref="ParallelGzipStream"/>.</summary>
internal enum GzipEngine
{
    /// <summary>libdeflate when it can be loaded, else the system zlib.</summary>
    Auto,

    /// <summary>The system zlib, each chunk primed with the previous 32 KiB (as pigz).</summary>
    ZLib,

    /// <summary>libdeflate, each chunk independent, spliced into one stream; fails when the library is missing.</summary>
    LibDeflate,
}
