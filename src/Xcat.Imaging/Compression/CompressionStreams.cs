using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SharpCompress.Compressors.BZip2;
using ZstdSharp.Unsafe;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Creates compressing and decompressing streams for the formats a ramdisk may use (xCAT's packimage.pm, file list, packimage.pm, archive and compression): gzip as one
/// member on all cores (<see cref="ParallelGzipStream"/>), zstd (ZstdSharp, multi-threaded, with a checksum), xz
/// (system liblzma, multi-threaded, CRC32 check) and, for reading only, bzip2 (SharpCompress).
/// </summary>
/// <remarks>
/// Every decompressor reports corrupt or truncated input as <see cref="InvalidDataException"/>; errors of the source
/// stream itself and cancellation pass through unchanged.
/// </remarks>
public static class CompressionStreams
{
    private const int MaximumZstdWorkers = 200;

    /// <summary>Creates a write-only stream that compresses into <paramref name="destination"/>.</summary>
    /// <param name="destination">The stream that receives the compressed bytes; only written to.</param>
    /// <param name="options">Method, level and threads; <see langword="null"/> for parallel gzip at level 6.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="destination"/> open after disposing the returned stream.</param>
    /// <returns>The stream; dispose it to finish the compressed data.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is not writable, the level is out of range for the method, or the method is
    /// <see cref="CompressionMethod.Bzip2"/>, which is read only.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library the method needs (<c>libz.so.1</c>, <c>liblzma.so.5</c>) cannot be loaded.</exception>
    public static Stream CreateCompressor(Stream destination, CompressionOptions? options = null, bool leaveOpen = false) =>
        CreateCompressor(destination, options, null, leaveOpen);

    /// <summary>Creates a write-only stream that compresses into <paramref name="destination"/>, with logging.</summary>
    /// <param name="destination">The stream that receives the compressed bytes; only written to.</param>
    /// <param name="options">Method, level and threads; <see langword="null"/> for parallel gzip at level 6.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="destination"/> open after disposing the returned stream.</param>
    /// <returns>The stream; dispose it to finish the compressed data.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is not writable, the level is out of range for the method, or the method is
    /// <see cref="CompressionMethod.Bzip2"/>, which is read only.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library the method needs (<c>libz.so.1</c>, <c>liblzma.so.5</c>) cannot be loaded.</exception>
    public static Stream CreateCompressor(Stream destination, CompressionOptions? options, ILogger? logger, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream is not writable.", nameof(destination));
        }

        options ??= new CompressionOptions();
        options.Validate(nameof(options));
        logger ??= NullLogger.Instance;
        var level = options.GetEffectiveLevel();
        switch (options.Method)
        {
            case CompressionMethod.Gzip:
                return new ParallelGzipStream(destination, options, logger, leaveOpen, null);
            case CompressionMethod.Xz:
                Log.CompressorCreated(logger, CompressionMethod.Xz, level, options.Threads);
                return new XzCompressionStream(destination, level, options.Threads, logger, leaveOpen);
            case CompressionMethod.Zstd:
                Log.CompressorCreated(logger, CompressionMethod.Zstd, level, options.Threads);
                var zstd = new ZstdSharp.CompressionStream(destination, level, bufferSize: 0, leaveOpen: leaveOpen);
                zstd.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);

                // Workers ≥ 1 make the output independent of their number (zstd's documented behaviour).
                zstd.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, Math.Min(options.Threads, MaximumZstdWorkers));
                return zstd;
            case CompressionMethod.None:
                return new PassThroughWriteStream(destination, leaveOpen);
            default:
                throw new ArgumentException($"{options.Method} can only be read, not written.", nameof(options));
        }
    }

    /// <summary>Creates a read-only stream that decompresses <paramref name="source"/> in the given format.</summary>
    /// <param name="source">The compressed data; may be unseekable.</param>
    /// <param name="method">The format; <see cref="CompressionMethod.None"/> passes the data through.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="source"/> open after disposing the returned stream.</param>
    /// <returns>The decompressing stream.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not readable.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> is not a defined value.</exception>
    /// <exception cref="PlatformNotSupportedException">The native library the method needs cannot be loaded.</exception>
    public static Stream CreateDecompressor(Stream source, CompressionMethod method, bool leaveOpen = false)
    {
        CompressionDetector.ValidateSource(source);
        return method switch
        {
            CompressionMethod.None => new PeekedStream(source, [], leaveOpen),
            CompressionMethod.Gzip => new ReadAheadStream(new GzipDecompressionStream(source, leaveOpen), "gunzip"),
            CompressionMethod.Xz => new XzDecompressionStream(source, leaveOpen),
            CompressionMethod.Zstd => new LibraryDecompressionStream(source, leaveOpen, "zstd",
                s => new ZstdSharp.DecompressionStream(s, bufferSize: 0, checkEndOfStream: true, leaveOpen: true)),
            CompressionMethod.Bzip2 => new LibraryDecompressionStream(source, leaveOpen, "bzip2",
                s => BZip2Stream.Create(s, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true,
                    leaveOpen: true)),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown compression method."),
        };
    }

    /// <summary>
    /// Detects the format of <paramref name="source"/> from its first bytes (<see cref="CompressionDetector"/>) and
    /// returns a stream of the decompressed data; data in no known format is passed through unchanged.
    /// </summary>
    /// <param name="source">The data; may be unseekable: the bytes read for detection are replayed.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="source"/> open after disposing the returned stream.</param>
    /// <returns>The decompressing (or pass-through) stream.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not readable.</exception>
    /// <exception cref="PlatformNotSupportedException">The native library the detected method needs cannot be loaded.</exception>
    public static Stream OpenDecompressor(Stream source, bool leaveOpen = false) =>
        Wrap(CompressionDetector.Peek(source, leaveOpen));

    /// <summary>The asynchronous twin of <see cref="OpenDecompressor"/>: the detection read is asynchronous.</summary>
    /// <param name="source">The data; may be unseekable: the bytes read for detection are replayed.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="source"/> open after disposing the returned stream.</param>
    /// <param name="cancellationToken">A token to cancel the detection read.</param>
    /// <returns>The decompressing (or pass-through) stream.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not readable.</exception>
    /// <exception cref="PlatformNotSupportedException">The native library the detected method needs cannot be loaded.</exception>
    public static Task<Stream> OpenDecompressorAsync(Stream source, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        CompressionDetector.ValidateSource(source);
        return OpenCoreAsync(source, leaveOpen, cancellationToken);
    }

    private static async Task<Stream> OpenCoreAsync(Stream source, bool leaveOpen, CancellationToken cancellationToken) =>
        Wrap(await CompressionDetector.PeekAsync(source, leaveOpen, cancellationToken).ConfigureAwait(false));

    private static Stream Wrap(PeekedStream peeked)
    {
        if (peeked.Method == CompressionMethod.None)
        {
            return peeked;
        }

        try
        {
            return CreateDecompressor(peeked, peeked.Method, leaveOpen: false);
        }
        catch
        {
            peeked.Dispose();
            throw;
        }
    }
}
