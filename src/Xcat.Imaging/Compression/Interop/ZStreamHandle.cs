using System.Runtime.InteropServices;

namespace Xcat.Imaging.Compression.Interop;

/// <summary>
/// Owns a <see cref="ZStream"/> in native memory: zlib keeps a pointer back to the structure, so it must not move.
/// </summary>
internal sealed unsafe class ZStreamHandle : SafeHandle
{
    private readonly bool _deflate;
    private bool _initialized;

    private ZStreamHandle(bool deflate)
        : base(0, ownsHandle: true)
    {
        _deflate = deflate;
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(ZStream)));
    }

    public override bool IsInvalid => handle == 0;

    public ZStream* Stream => (ZStream*)handle;

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

    protected override bool ReleaseHandle()
    {
        if (_initialized)
        {
            _ = _deflate ? ZLib.DeflateEnd((ZStream*)handle) : ZLib.InflateEnd((ZStream*)handle);
        }

        NativeMemory.Free((void*)handle);
        return true;
    }

    private void Check(int code)
    {
        if (code == ZLib.Ok)
        {
            _initialized = true;
            return;
        }

        Dispose();
        if (code == ZLib.MemoryError)
        {
            throw new InsufficientMemoryException("zlib could not allocate its state.");
        }

        throw new InvalidOperationException($"zlib refused to initialise (error {code}).");
    }
}
