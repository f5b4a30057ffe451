namespace Xcat.Imaging.Compression;

/// <summary>Recognises compressed data by its magic bytes, as the kernel does for initrd members (xCAT's packimage.pm, file list).</summary>
public static class CompressionDetector
{
    /// <summary>The number of bytes needed to recognise every supported format (xz has the longest magic).</summary>
    public const int HeaderLength = 6;

    // The library's only copy of the compression magic numbers (writers and error messages use these too).
    internal static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    private static ReadOnlySpan<byte> XzMagic => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    private static ReadOnlySpan<byte> Bzip2Magic => "BZh"u8;

    // lz4's legacy frame (lz4 -l), the one the kernel's initramfs decompressor takes; we read it nowhere, but name it.
    private static ReadOnlySpan<byte> Lz4LegacyMagic => [0x02, 0x21, 0x4c, 0x18];

    /// <summary>
    /// Detects the compression of data starting with <paramref name="header"/>: gzip <c>1f 8b</c>, xz
    /// <c>fd 37 7a 58 5a 00</c>, zstd <c>28 b5 2f fd</c> or a zstd skippable frame <c>5?  2a 4d 18</c> (pzstd starts
    /// its output with one; RFC 8878 §3.1.2), bzip2 <c>BZh</c> followed by a block size digit 1–9.
    /// </summary>
    /// <param name="header">The first bytes of the data; <see cref="HeaderLength"/> bytes suffice.</param>
    /// <returns>The method, or <see cref="CompressionMethod.None"/> for anything else (a plain cpio or tar, or too few bytes).</returns>
    public static CompressionMethod Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith(GzipMagic))
        {
            return CompressionMethod.Gzip;
        }

        if (header.StartsWith(XzMagic))
        {
            return CompressionMethod.Xz;
        }

        if (header.StartsWith(ZstdMagic) || IsZstdSkippableFrame(header))
        {
            return CompressionMethod.Zstd;
        }

        if (header.Length >= 4 && header.StartsWith(Bzip2Magic) && header[3] is >= (byte)'1' and <= (byte)'9')
        {
            return CompressionMethod.Bzip2;
        }

        return CompressionMethod.None;
    }

    /// <summary>
    /// Reads the first <see cref="HeaderLength"/> bytes of <paramref name="source"/> (which may be unseekable) and
    /// returns a stream that detects their compression and replays them before the rest of the source.
    /// </summary>
    /// <param name="source">A readable stream positioned at the start of the data.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="source"/> open when the returned stream is disposed.</param>
    /// <returns>The stream, with <see cref="PeekedStream.Method"/> set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not readable.</exception>
    public static PeekedStream Peek(Stream source, bool leaveOpen = false)
    {
        ValidateSource(source);
        var header = new byte[HeaderLength];
        var count = source.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        return new PeekedStream(source, header[..count], leaveOpen);
    }

    /// <summary>The asynchronous twin of <see cref="Peek"/>.</summary>
    /// <param name="source">A readable stream positioned at the start of the data.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="source"/> open when the returned stream is disposed.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The stream, with <see cref="PeekedStream.Method"/> set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not readable.</exception>
    public static Task<PeekedStream> PeekAsync(Stream source, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        ValidateSource(source);
        return PeekCoreAsync(source, leaveOpen, cancellationToken);
    }

    /// <summary>Names the compression <paramref name="header"/> starts with, for error messages about data that should not be compressed.</summary>
    /// <returns>For example <c>gzip-compressed data</c>, or <see langword="null"/> when the data is not compressed as far as we know.</returns>
    internal static string? DescribeCompressed(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith(Lz4LegacyMagic))
        {
            return "lz4-compressed data (legacy frame)";
        }

        // The bare prefixes: a truncated header is still worth naming.
        return header.StartsWith(GzipMagic) ? "gzip-compressed data"
            : header.StartsWith(XzMagic) ? "xz-compressed data"
            : header.StartsWith(ZstdMagic) || IsZstdSkippableFrame(header) ? "zstd-compressed data"
            : header.StartsWith(Bzip2Magic) ? "bzip2-compressed data"
            : null;
    }

    // Skippable frames have the magic 0x184D2A50–0x184D2A5F, little-endian.
    private static bool IsZstdSkippableFrame(ReadOnlySpan<byte> header) =>
        header.Length >= 4 && (header[0] & 0xf0) == 0x50 && header[1] == 0x2a && header[2] == 0x4d && header[3] == 0x18;

    internal static void ValidateSource(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanRead)
        {
            throw new ArgumentException("The source stream is not readable.", nameof(source));
        }
    }

    /// <summary>Peeks <paramref name="length"/> bytes, for callers that detect more than compression (tar's magic is at 257).</summary>
    internal static Task<PeekedStream> PeekAsync(Stream source, int length, bool leaveOpen, CancellationToken cancellationToken)
    {
        ValidateSource(source);
        return PeekCoreAsync(source, leaveOpen, cancellationToken, length);
    }

    private static async Task<PeekedStream> PeekCoreAsync(Stream source, bool leaveOpen, CancellationToken cancellationToken, int length = HeaderLength)
    {
        var header = new byte[length];
        var count = await source.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        return new PeekedStream(source, header[..count], leaveOpen);
    }
}
