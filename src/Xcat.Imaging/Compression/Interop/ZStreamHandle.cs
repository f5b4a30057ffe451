namespace Xcat.Imaging.Compression.Interop;

/// <summary>Owns a <see cref="ZStream"/> in native memory, set up as a raw-deflate compressor or a gzip inflater.</summary>
internal sealed unsafe class ZStreamHandle : NativeStreamHandle<ZStream>
{
    private readonly bool _deflate;

    private ZStreamHandle(bool deflate)
    {
        _deflate = deflate;
    }

    /// <summary>A raw-deflate compressor at <paramref name="level"/>.</summary>
    public static ZStreamHandle CreateDeflater(int level)
    {
        ZLib.EnsureAvailable();
        var result = new ZStreamHandle(deflate: true);
        var code = ZLib.DeflateInit2(result.Stream, level, ZLib.Deflated, ZLib.RawWindowBits, ZLib.DefaultMemoryLevel,
            ZLib.DefaultStrategy, ZLib.Version(), sizeof(ZStream));
        result.Check(code);
        return result;
    }

    /// <summary>An inflater for gzip members.</summary>
    public static ZStreamHandle CreateGzipInflater()
    {
        ZLib.EnsureAvailable();
        var result = new ZStreamHandle(deflate: false);
        var code = ZLib.InflateInit2(result.Stream, ZLib.GzipWindowBits, ZLib.Version(), sizeof(ZStream));
        result.Check(code);
        return result;
    }

    protected override void End(ZStream* stream) => _ = _deflate ? ZLib.DeflateEnd(stream) : ZLib.InflateEnd(stream);

    private void Check(int code) => CheckInitialized(code, ZLib.Ok, ZLib.MemoryError, "zlib", $" (error {code})");
}
