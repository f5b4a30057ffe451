using System.Runtime.InteropServices;

namespace Xcat.Imaging.Compression.Interop;

/// <summary>Owns an <see cref="LzmaStream"/> in native memory (liblzma keeps a pointer to it while coding).</summary>
internal sealed unsafe class LzmaStreamHandle : SafeHandle
{
    private bool _initialized;

    public LzmaStreamHandle()
        : base(0, ownsHandle: true)
    {
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(LzmaStream)));
    }

    public override bool IsInvalid => handle == 0;

    public LzmaStream* Stream => (LzmaStream*)handle;

    /// <summary>A multi-threaded .xz encoder with a CRC32 check (xCAT's packimage.pm, file list).</summary>
    public static LzmaStreamHandle CreateEncoder(int preset, int threads)
    {
        Lzma.EnsureAvailable();
        var result = new LzmaStreamHandle();
        var options = new LzmaMt
        {
            Threads = (uint)threads,
            Preset = (uint)preset,
            Check = Lzma.CheckCrc32,
        };
        result.Check(Lzma.StreamEncoderMt(result.Stream, &options));
        return result;
    }

    /// <summary>A .xz decoder that reads concatenated streams and their padding.</summary>
    public static LzmaStreamHandle CreateDecoder()
    {
        Lzma.EnsureAvailable();
        var result = new LzmaStreamHandle();
        result.Check(Lzma.StreamDecoder(result.Stream, ulong.MaxValue, Lzma.Concatenated));
        return result;
    }

    protected override bool ReleaseHandle()
    {
        if (_initialized)
        {
            Lzma.End((LzmaStream*)handle);
        }

        NativeMemory.Free((void*)handle);
        return true;
    }

    private void Check(int code)
    {
        if (code == Lzma.Ok)
        {
            _initialized = true;
            return;
        }

        Dispose();
        if (code == Lzma.MemoryError)
        {
            throw new InsufficientMemoryException("liblzma could not allocate its state.");
        }

        throw new InvalidOperationException($"liblzma refused to initialise: {Lzma.Describe(code)}.");
    }
}
