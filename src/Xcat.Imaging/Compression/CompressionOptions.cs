namespace Xcat.Imaging.Compression;

/// <summary>Options for <see cref="CompressionStreams.CreateCompressor(Stream, CompressionOptions?, bool)"/> and <see cref="ParallelGzipStream"/>.</summary>
public sealed class CompressionOptions
{
    /// <summary>The default gzip level, as gzip and pigz (xCAT's packimage.pm, archive and compression).</summary>
    public const int DefaultGzipLevel = 6;

    /// <summary>The default zstd level, as the zstd tool.</summary>
    public const int DefaultZstdLevel = 3;

    /// <summary>The default xz preset, as the xz tool.</summary>
    public const int DefaultXzLevel = 6;

    /// <summary>
    /// The default uncompressed size of a parallel gzip chunk, 1 MiB. libdeflate compresses each chunk on its own (no
    /// dictionary): measured on 64 MiB of /usr/lib and /usr/share at level 6, 256 KiB chunks cost 1.004x gzip -6's size,
    /// 1 MiB 0.998x, 4 MiB 0.996x; the zlib engine, primed with the previous 32 KiB, gives the same ratio from 64 KiB up.
    /// </summary>
    public const int DefaultChunkSize = 1024 * 1024;

    /// <summary>The smallest allowed <see cref="ChunkSize"/>, the deflate window.</summary>
    public const int MinimumChunkSize = 32 * 1024;

    /// <summary>The largest allowed <see cref="ChunkSize"/>.</summary>
    public const int MaximumChunkSize = 64 * 1024 * 1024;

    /// <summary>The largest allowed <see cref="Threads"/>.</summary>
    public const int MaximumThreads = 1024;

    private const int MaximumLevel = 22;

    private CompressionMethod _method = CompressionMethod.Gzip;
    private int? _level;
    private int _threads = Environment.ProcessorCount;
    private int _chunkSize = DefaultChunkSize;

    /// <summary>Gets or sets the compression format.</summary>
    /// <value>The default is <see cref="CompressionMethod.Gzip"/>, packimage's default.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="CompressionMethod"/>.</exception>
    public CompressionMethod Method
    {
        get => _method;
        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown compression method.");
            }

            _method = value;
        }
    }

    /// <summary>
    /// Gets or sets the compression level: 0–9 for gzip and xz (the xz preset), 1–22 for zstd. The range for the chosen
    /// <see cref="Method"/> is checked when a compressor is created.
    /// </summary>
    /// <value>The default is <see langword="null"/>: gzip 6, zstd 3, xz 6 (see <see cref="GetEffectiveLevel"/>).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 0 or above 22.</exception>
    public int? Level
    {
        get => _level;
        set
        {
            if (value is { } level)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(level, nameof(value));
                ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaximumLevel, nameof(value));
            }

            _level = value;
        }
    }

    /// <summary>Gets or sets the number of compression threads (gzip chunks, zstd workers, xz block threads).</summary>
    /// <value>The default is <see cref="Environment.ProcessorCount"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="MaximumThreads"/>.</exception>
    public int Threads
    {
        get => _threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaximumThreads);
            _threads = value;
        }
    }

    /// <summary>
    /// Gets or sets the uncompressed size of a parallel gzip chunk. The output depends on it (and on the level) but not
    /// on <see cref="Threads"/>.
    /// </summary>
    /// <value>The default is <see cref="DefaultChunkSize"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside <see cref="MinimumChunkSize"/>..<see cref="MaximumChunkSize"/>.</exception>
    public int ChunkSize
    {
        get => _chunkSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinimumChunkSize);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaximumChunkSize);
            _chunkSize = value;
        }
    }

    /// <summary>Gets or sets the gzip deflate engine; tests and benchmarks force one, everything else leaves it automatic.</summary>
    internal GzipEngine Engine { get; set; }

    /// <summary>Gets the level used for <see cref="Method"/>: <see cref="Level"/> or the method's default.</summary>
    /// <returns>The level; 0 for <see cref="CompressionMethod.None"/> and <see cref="CompressionMethod.Bzip2"/>.</returns>
    public int GetEffectiveLevel() => _level ?? _method switch
    {
        CompressionMethod.Gzip => DefaultGzipLevel,
        CompressionMethod.Zstd => DefaultZstdLevel,
        CompressionMethod.Xz => DefaultXzLevel,
        _ => 0,
    };

    /// <summary>Checks the level against the method, before a compressor is built.</summary>
    internal void Validate(string parameterName)
    {
        var (minimum, maximum) = _method switch
        {
            CompressionMethod.Gzip or CompressionMethod.Xz => (0, 9),
            CompressionMethod.Zstd => (1, MaximumLevel),
            _ => (0, MaximumLevel),
        };
        var level = GetEffectiveLevel();
        if (level < minimum || level > maximum)
        {
            throw new ArgumentException(
                $"Level {level} is out of range for {_method} ({minimum}-{maximum}).", parameterName);
        }
    }
}
