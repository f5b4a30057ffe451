using Xcat.Imaging.Compression.Interop;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Compresses one <see cref="GzipChunk"/> to raw deflate with the system zlib, primed with the chunk's dictionary and
/// ended by a sync flush (byte-aligned, not final) or, for the last chunk, a final block (xCAT's rh genimage worker A, as pigz): the
/// engine when libdeflate is missing, and for level 0 always.
/// </summary>
internal sealed unsafe class ZLibChunkDeflater : IChunkDeflater
{
    private readonly ZStreamHandle _handle;

    public ZLibChunkDeflater(int level)
    {
        _handle = ZStreamHandle.CreateDeflater(level);
        Level = level;
    }

    public int Level { get; }

    public void Compress(GzipChunk chunk)
    {
        var stream = _handle.Stream;
        Check(stream, ZLib.DeflateReset(stream));
        fixed (byte* input = chunk.Input)
        {
            var data = input + GzipChunk.WindowSize;
            if (chunk.DictionaryLength > 0)
            {
                Check(stream, ZLib.DeflateSetDictionary(stream, data - chunk.DictionaryLength, (uint)chunk.DictionaryLength));
            }

            // The bound covers the blocks; the sync marker and final block add a few bytes.
            var bound = (int)Math.Min(int.MaxValue / 2, (long)ZLib.DeflateBound(stream, (nuint)chunk.Length) + 64);
            if (chunk.Output.Length < bound)
            {
                chunk.Output = new byte[bound];
            }

            stream->NextIn = data;
            stream->AvailIn = (uint)chunk.Length;
            var flush = chunk.Last ? ZLib.Finish : ZLib.SyncFlush;
            var produced = 0;
            while (true)
            {
                int code;
                fixed (byte* output = chunk.Output)
                {
                    stream->NextOut = output + produced;
                    stream->AvailOut = (uint)(chunk.Output.Length - produced);
                    code = ZLib.Deflate(stream, flush);
                    produced = chunk.Output.Length - (int)stream->AvailOut;
                }

                if (code == ZLib.StreamEnd)
                {
                    break;
                }

                if (code != ZLib.Ok && code != ZLib.BufferError)
                {
                    throw new InvalidOperationException($"deflate failed: {ZLib.Describe(stream, code)}.");
                }

                // A sync flush is complete once zlib stops short of filling the output.
                if (!chunk.Last && stream->AvailOut != 0)
                {
                    break;
                }

                var larger = new byte[chunk.Output.Length * 2];
                chunk.Output.AsSpan(0, produced).CopyTo(larger);
                chunk.Output = larger;
            }

            stream->NextIn = null;
            stream->NextOut = null;
            chunk.OutputLength = produced;
            chunk.Crc = ZLib.Crc32(0, new ReadOnlySpan<byte>(data, chunk.Length));
        }
    }

    public void Dispose() => _handle.Dispose();

    private static void Check(ZStream* stream, int code)
    {
        if (code != ZLib.Ok)
        {
            throw new InvalidOperationException($"deflate failed: {ZLib.Describe(stream, code)}.");
        }
    }
}
