namespace Xcat.Imaging.Compression.Interop;

/// <summary>Owns an <see cref="LzmaStream"/> in native memory, set up as an .xz encoder or decoder.</summary>
internal sealed unsafe class LzmaStreamHandle : NativeStreamHandle<LzmaStream>
{
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

    protected override void End(LzmaStream* stream) => Lzma.End(stream);

    private void Check(int code) => CheckInitialized(code, Lzma.Ok, Lzma.MemoryError, "liblzma", $": {Lzma.Describe(code)}");
}
