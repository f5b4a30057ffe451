using System.Runtime.InteropServices;

namespace Xcat.Imaging.Compression.Interop;

/// <summary>
/// The system liblzma (<c>liblzma.so.5</c>, Debian package liblzma5): the only xz encoder reachable from .NET 10 without
/// shelling out (xCAT's imgutils.pm, get_package_names).
/// </summary>
internal static unsafe partial class Lzma
{
    internal const string LibraryName = "liblzma.so.5";

    internal const int Ok = 0;
    internal const int StreamEnd = 1;
    internal const int MemoryError = 5;
    internal const int MemoryLimitError = 6;
    internal const int FormatError = 7;
    internal const int OptionsError = 8;
    internal const int DataError = 9;
    internal const int BufferError = 10;

    internal const int Run = 0;
    internal const int FullFlush = 2;
    internal const int Finish = 3;

    /// <summary>The kernel's XZ Embedded accepts only no check or CRC32 (xCAT's packimage.pm, file list).</summary>
    internal const int CheckCrc32 = 1;

    internal const uint Concatenated = 0x08;

    [LibraryImport(LibraryName, EntryPoint = "lzma_version_number")]
    internal static partial uint VersionNumber();

    [LibraryImport(LibraryName, EntryPoint = "lzma_stream_encoder_mt")]
    internal static partial int StreamEncoderMt(LzmaStream* stream, LzmaMt* options);

    [LibraryImport(LibraryName, EntryPoint = "lzma_stream_decoder")]
    internal static partial int StreamDecoder(LzmaStream* stream, ulong memoryLimit, uint flags);

    [LibraryImport(LibraryName, EntryPoint = "lzma_code")]
    internal static partial int Code(LzmaStream* stream, int action);

    [LibraryImport(LibraryName, EntryPoint = "lzma_end")]
    internal static partial void End(LzmaStream* stream);

    /// <summary>Throws <see cref="PlatformNotSupportedException"/> naming the library when it cannot be loaded.</summary>
    internal static void EnsureAvailable() => EnsureAvailable(static () => _ = VersionNumber());

    /// <summary>Runs <paramref name="probe"/> (a call into the library) and turns a load failure into a clear error.</summary>
    internal static void EnsureAvailable(Action probe)
    {
        try
        {
            probe();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new PlatformNotSupportedException(
                $"xz needs the system liblzma ({LibraryName}, Debian package liblzma5), which could not be loaded: {e.Message}", e);
        }
    }

    internal static string Describe(int code) => code switch
    {
        MemoryError => "liblzma could not allocate memory",
        MemoryLimitError => "the memory usage limit was reached",
        FormatError => "the input is not in the .xz format",
        OptionsError => "the stream uses unsupported options",
        DataError => "the compressed data is corrupt",
        BufferError => "the compressed data is truncated",
        _ => $"liblzma error {code}",
    };
}
