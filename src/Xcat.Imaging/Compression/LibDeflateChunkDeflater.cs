using Xcat.Imaging.Compression.Interop;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Compresses one <see cref="GzipChunk"/> on its own (no dictionary) with libdeflate, whose whole-buffer output always
/// ends in a final block. For a non-last chunk that block is made non-final in place: <see cref="DeflateBlockScanner"/>
/// finds its header and its end, the BFINAL bit is cleared and an empty stored block (bits 000, padding, 00 00 FF FF,
/// exactly what zlib's sync flush writes) is appended, so the next chunk starts byte-aligned in the same stream.
/// </summary>
internal sealed unsafe class LibDeflateChunkDeflater : IChunkDeflater
{
    // Sync marker: at most 3 header bits and 7 padding bits, then LEN and NLEN.
    private const int MarkerLength = 6;

    private nint _compressor;

    public LibDeflateChunkDeflater(int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        // gzip level N is served by libdeflate level N: on /usr data in 1 MiB chunks each is 0.2-3.6 % smaller than gzip -N
        // and about twice as fast (benchmarks/README.md); libdeflate's 10-12 are left out, at a fifth of level 9's speed.
        _compressor = LibDeflate.AllocCompressor(level);
        if (_compressor == 0)
        {
            throw new InsufficientMemoryException("libdeflate could not allocate a compressor.");
        }

        Level = level;
    }

    public int Level { get; }

    public void Compress(GzipChunk chunk)
    {
        ObjectDisposedException.ThrowIf(_compressor == 0, this);
        if (chunk.Length == 0)
        {
            // As zlib: nothing, or for the end one empty final fixed block (03 00) where libdeflate writes a stored one.
            chunk.Output = chunk.Output.Length >= 2 ? chunk.Output : new byte[2];
            chunk.Output[0] = 3;
            chunk.Output[1] = 0;
            chunk.OutputLength = chunk.Last ? 2 : 0;
            chunk.Crc = 0;
            return;
        }

        var bound = (int)Math.Min(int.MaxValue / 2, (long)LibDeflate.CompressBound(_compressor, (nuint)chunk.Length) + MarkerLength);
        if (chunk.Output.Length < bound)
        {
            chunk.Output = new byte[bound];
        }

        int produced;
        fixed (byte* input = chunk.Input)
        fixed (byte* output = chunk.Output)
        {
            var data = input + GzipChunk.WindowSize;
            produced = (int)LibDeflate.Compress(_compressor, data, (nuint)chunk.Length, output, (nuint)(bound - MarkerLength));
            chunk.Crc = LibDeflate.Crc32(0, data, (nuint)chunk.Length);
        }

        if (produced == 0)
        {
            throw new InvalidOperationException("libdeflate's output exceeded its own bound.");
        }

        chunk.OutputLength = chunk.Last ? produced : MakeNonFinal(chunk.Output, produced);
    }

    public void Dispose()
    {
        if (_compressor != 0)
        {
            LibDeflate.FreeCompressor(_compressor);
            _compressor = 0;
        }
    }

    /// <summary>Clears the final block's BFINAL bit and appends an empty stored block; returns the new length.</summary>
    /// <remarks>Requires room for <see cref="MarkerLength"/> more bytes after <paramref name="length"/>.</remarks>
    internal static int MakeNonFinal(byte[] deflate, int length)
    {
        var (header, end) = DeflateBlockScanner.FindFinalBlock(deflate.AsSpan(0, length));
        if ((end + 7) / 8 != length)
        {
            throw new InvalidOperationException("The deflate stream has bytes after its final block.");
        }

        deflate[header >> 3] &= (byte)~(1 << (int)(header & 7));

        // The bits after the end are padding; zero them, then BFINAL=0, BTYPE=00 (three zero bits) and pad to a byte.
        var bit = (int)(end & 7);
        var position = (int)(end >> 3);
        if (bit != 0)
        {
            deflate[position] &= (byte)((1 << bit) - 1);
            position++;
        }

        if (bit == 0 || bit > 5)
        {
            deflate[position++] = 0;
        }

        deflate[position++] = 0;
        deflate[position++] = 0;
        deflate[position++] = 0xff;
        deflate[position++] = 0xff;
        return position;
    }
}
