using System.Runtime.InteropServices;

namespace Xcat.Imaging.Compression.Interop;

/// <summary>
/// The system zlib (<c>libz.so.1</c>, Debian package zlib1g). The BCL's deflater cannot take a preset dictionary
/// (xCAT's imgutils.pm, get_package_names), which pigz-style chunking needs for gzip's ratio, and its inflater does not report truncated input.
/// </summary>
internal static unsafe partial class ZLib
{
    internal const string LibraryName = "libz.so.1";

    internal const int Ok = 0;
    internal const int StreamEnd = 1;
    internal const int NeedDictionary = 2;
    internal const int StreamError = -2;
    internal const int DataError = -3;
    internal const int MemoryError = -4;
    internal const int BufferError = -5;

    internal const int NoFlush = 0;
    internal const int SyncFlush = 2;
    internal const int Finish = 4;

    internal const int Deflated = 8;
    internal const int DefaultStrategy = 0;
    internal const int DefaultMemoryLevel = 8;

    /// <summary>windowBits for raw deflate with a 32 KiB window.</summary>
    internal const int RawWindowBits = -15;

    /// <summary>windowBits for gzip-wrapped inflate only (15 + 16).</summary>
    internal const int GzipWindowBits = 31;

    [LibraryImport(LibraryName, EntryPoint = "zlibVersion")]
    internal static partial byte* Version();

    [LibraryImport(LibraryName, EntryPoint = "deflateInit2_")]
    internal static partial int DeflateInit2(ZStream* stream, int level, int method, int windowBits, int memoryLevel, int strategy,
        byte* version, int streamSize);

    [LibraryImport(LibraryName, EntryPoint = "deflateReset")]
    internal static partial int DeflateReset(ZStream* stream);

    [LibraryImport(LibraryName, EntryPoint = "deflateSetDictionary")]
    internal static partial int DeflateSetDictionary(ZStream* stream, byte* dictionary, uint length);

    [LibraryImport(LibraryName, EntryPoint = "deflate")]
    internal static partial int Deflate(ZStream* stream, int flush);

    [LibraryImport(LibraryName, EntryPoint = "deflateBound")]
    internal static partial nuint DeflateBound(ZStream* stream, nuint sourceLength);

    [LibraryImport(LibraryName, EntryPoint = "deflateEnd")]
    internal static partial int DeflateEnd(ZStream* stream);

    [LibraryImport(LibraryName, EntryPoint = "inflateInit2_")]
    internal static partial int InflateInit2(ZStream* stream, int windowBits, byte* version, int streamSize);

    [LibraryImport(LibraryName, EntryPoint = "inflate")]
    internal static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(LibraryName, EntryPoint = "inflateReset")]
    internal static partial int InflateReset(ZStream* stream);

    [LibraryImport(LibraryName, EntryPoint = "inflateEnd")]
    internal static partial int InflateEnd(ZStream* stream);

    [LibraryImport(LibraryName, EntryPoint = "crc32")]
    internal static partial nuint Crc32(nuint crc, byte* buffer, uint length);

    [LibraryImport(LibraryName, EntryPoint = "crc32_combine64")]
    internal static partial nuint Crc32Combine(nuint crc1, nuint crc2, long length2);

    /// <summary>CRC-32 of a span of any length (zlib's length parameter is 32-bit).</summary>
    internal static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        nuint value = crc;
        fixed (byte* p = data)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                var count = Math.Min(data.Length - offset, 1 << 30);
                value = Crc32(value, p + offset, (uint)count);
                offset += count;
            }
        }

        return (uint)value;
    }

    /// <summary>Throws <see cref="PlatformNotSupportedException"/> naming the library when it cannot be loaded.</summary>
    internal static void EnsureAvailable() => EnsureAvailable(static () => _ = Version());

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
                $"gzip needs the system zlib ({LibraryName}, Debian package zlib1g), which could not be loaded: {e.Message}", e);
        }
    }

    internal static string Describe(ZStream* stream, int code)
    {
        var message = stream->Message is null ? null : Marshal.PtrToStringUTF8((nint)stream->Message);
        return message is null ? $"zlib error {code}" : $"{message} (zlib error {code})";
    }
}
