namespace Xcat.Imaging.Compression;

/// <summary>
/// Deflates one <see cref="GzipChunk"/> for <see cref="ParallelGzipStream"/>: a non-last chunk ends byte-aligned and
/// non-final (an empty stored block, as zlib's sync flush), the last one with a final block, so the chunks' outputs
/// written in order form one deflate stream. One instance serves one thread at a time.
/// </summary>
internal interface IChunkDeflater : IDisposable
{
    /// <summary>Gets the gzip level (0–9) this deflater was made for.</summary>
    int Level { get; }

    /// <summary>Sets the chunk's <see cref="GzipChunk.Output"/>, <see cref="GzipChunk.OutputLength"/> and <see cref="GzipChunk.Crc"/>.</summary>
    void Compress(GzipChunk chunk);
}
