namespace Xcat.Imaging.Tar;

/// <summary>The magic at offset 257 of a tar header block, in one place for the reader, the writer and format detection.</summary>
internal static class TarMagic
{
    internal const int Offset = 257;

    /// <summary>POSIX ustar's magic with its terminator (POSIX.1-1988; the version "00" follows).</summary>
    internal static ReadOnlySpan<byte> Posix => "ustar\0"u8;

    /// <summary>Whether a block carries a ustar magic (POSIX <c>"ustar\0"</c> or old GNU <c>"ustar  \0"</c>), checksum or not.</summary>
    internal static bool HasUstar(ReadOnlySpan<byte> block) => block.Length >= Offset + 5 && block.Slice(Offset, 5).SequenceEqual("ustar"u8);

    /// <summary>Whether a block carries POSIX's magic, under which the prefix field holds a name prefix (GNU's keeps times there).</summary>
    internal static bool IsPosix(ReadOnlySpan<byte> block) => block.Length >= Offset + 6 && block.Slice(Offset, 6).SequenceEqual(Posix);
}
