using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Compression.Interop;
using Xcat.Imaging.Internal;

namespace Xcat.Imaging.Compression;

/// <summary>
/// A write-only stream that gzips on several threads and still writes a single gzip member, as pigz does (xCAT's rh genimage worker A):
/// the kernel rejects independent members cut mid-archive (xCAT's packimage.pm, file list). The input is cut into
/// <see cref="CompressionOptions.ChunkSize"/> chunks, each deflated on its own thread and ended, unless last, by an empty
/// stored block that leaves the stream byte-aligned and open; the raw deflate of the chunks is written in order between
/// one header and one CRC-32/ISIZE trailer.
/// </summary>
/// <remarks>
/// <para>
/// Two engines deflate the chunks. libdeflate (<c>libdeflate.so.0</c>, Debian package libdeflate0), used whenever it
/// can be loaded, compresses each chunk on its own about three times as fast as zlib; its always-final last block is
/// made non-final afterwards (<see cref="LibDeflateChunkDeflater"/>). Without it the system zlib (<c>libz.so.1</c>)
/// deflates each chunk primed with the previous 32 KiB and ends it with a sync flush, as pigz. Level 0 (stored) always
/// uses zlib. At level 6 on /usr data both are within 0.3 % of <c>gzip -6</c>'s size (the BCL's zlib-ng is 2 % larger).
/// </para>
/// <para>
/// The output depends on the engine, the level, the chunk size and the points where <see cref="Flush"/> is called,
/// never on the number of threads. At most about twice <see cref="CompressionOptions.Threads"/> chunks are held in
/// memory; a <c>Write</c> waits for the oldest chunk when that many are in flight, so a slow destination slows the
/// writer. The header has no name, mtime 0 and OS 3 (Unix), so identical input gives identical bytes on every machine
/// with the same engine and library version.
/// </para>
/// <para>
/// An error on a worker thread or the destination surfaces from the next <c>Write</c>, <c>Flush</c> or <c>Dispose</c>;
/// after it the stream accepts no more data and disposing it writes no trailer. Instances are not thread-safe.
/// </para>
/// </remarks>
public sealed class ParallelGzipStream : Stream
{
    private const int HeaderLength = 10;
    private const int TrailerLength = 8;

    private readonly Stream _destination;
    private readonly bool _leaveOpen;
    private readonly ILogger _logger;
    private readonly int _level;
    private readonly bool _libDeflate;
    private readonly GzipChunkPipeline _pipeline;
    private int _dataLevel;
    private uint _crc;
    private long _inputLength;
    private long _outputLength;
    private bool _headerWritten;
    private Exception? _failure;
    private bool _disposed;

    /// <summary>Creates a parallel gzip compressor writing to <paramref name="destination"/>.</summary>
    /// <param name="destination">The stream that receives the gzip bytes; only written to.</param>
    /// <param name="options">Level, threads and chunk size; <see langword="null"/> for the defaults. The method must be gzip.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="destination"/> open after disposing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not writable, or <paramref name="options"/> is not gzip or has a level outside 0–9.</exception>
    /// <exception cref="PlatformNotSupportedException">The system zlib (<c>libz.so.1</c>) cannot be loaded.</exception>
    public ParallelGzipStream(Stream destination, CompressionOptions? options = null, bool leaveOpen = false)
        : this(destination, options, null, leaveOpen, null)
    {
    }

    /// <summary>Creates a parallel gzip compressor writing to <paramref name="destination"/>, with logging.</summary>
    /// <param name="destination">The stream that receives the gzip bytes; only written to.</param>
    /// <param name="options">Level, threads and chunk size; <see langword="null"/> for the defaults. The method must be gzip.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="destination"/> open after disposing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not writable, or <paramref name="options"/> is not gzip or has a level outside 0–9.</exception>
    /// <exception cref="PlatformNotSupportedException">The system zlib (<c>libz.so.1</c>) cannot be loaded.</exception>
    public ParallelGzipStream(Stream destination, CompressionOptions? options, ILogger? logger, bool leaveOpen = false)
        : this(destination, options, logger, leaveOpen, null)
    {
    }

    /// <summary>Also takes a hook run on the worker before each chunk (by index), for tests.</summary>
    internal ParallelGzipStream(Stream destination, CompressionOptions? options, ILogger? logger, bool leaveOpen, Action<long>? chunkHook)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream is not writable.", nameof(destination));
        }

        options ??= new CompressionOptions();
        if (options.Method != CompressionMethod.Gzip)
        {
            throw new ArgumentException($"The options are for {options.Method}, not gzip.", nameof(options));
        }

        options.Validate(nameof(options));
        ZLib.EnsureAvailable();
        _libDeflate = options.Engine switch
        {
            GzipEngine.ZLib => false,
            GzipEngine.LibDeflate when !LibDeflate.IsAvailable => throw new PlatformNotSupportedException(
                $"The libdeflate engine was asked for, but {LibDeflate.LibraryName} (Debian package libdeflate0) cannot be loaded."),
            GzipEngine.LibDeflate => true,
            _ => LibDeflate.IsAvailable,
        };
        _destination = destination;
        _leaveOpen = leaveOpen;
        _logger = logger ?? NullLogger.Instance;
        _level = options.GetEffectiveLevel();
        _dataLevel = _level;
        var threads = options.Threads;
        _pipeline = new GzipChunkPipeline(options.ChunkSize, threads, _libDeflate, WriteChunkAsync, chunkHook);
        Log.CompressorCreated(_logger, CompressionMethod.Gzip, _level, threads);
    }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => !_disposed;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Gets or sets the deflate level of the data written from now on (0 stores). A bundle writer lowers it for members
    /// that are already compressed, where deflating again costs time and gains nothing. A change ends the chunk under
    /// way (compressed at the old level), so the switch is exact whatever the chunk size.
    /// </summary>
    /// <value>The level of <see cref="CompressionOptions.Level"/> at first; 0 stores.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0–9.</exception>
    public int DataLevel
    {
        get => _dataLevel;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 9);
            if (value != _dataLevel && _pipeline.CurrentLength > 0)
            {
                EnsureUsable();
                _pipeline.SubmitCurrent(_dataLevel);
            }

            _dataLevel = value;
        }
    }

    /// <summary>Gets the engine that deflates levels 1–9 in this stream.</summary>
    internal GzipEngine Engine => _libDeflate ? GzipEngine.LibDeflate : GzipEngine.ZLib;

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureUsable();
        try
        {
            while (!buffer.IsEmpty)
            {
                if (SyncOverAsync.Wait(_pipeline.PrepareAsync(_dataLevel, useAsync: false, CancellationToken.None)) > 0)
                {
                    buffer = Append(buffer);
                }
            }
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
    }

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureUsable();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        return WriteCoreAsync(buffer, cancellationToken);
    }

    /// <summary>
    /// Compresses everything written so far, ending the current chunk early with a sync flush, writes it to the
    /// destination and flushes the destination. The bytes written so far then decompress to all the input so far.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The stream is disposed.</exception>
    /// <exception cref="InvalidOperationException">An earlier operation failed.</exception>
    public override void Flush()
    {
        EnsureUsable();
        SyncOverAsync.Wait(FlushCoreAsync(useAsync: false, CancellationToken.None));
    }

    /// <summary>The asynchronous twin of <see cref="Flush"/>.</summary>
    /// <param name="cancellationToken">A token to cancel the operation; after a cancellation the stream is unusable.</param>
    /// <returns>A task that completes when the data is written and the destination flushed.</returns>
    /// <exception cref="ObjectDisposedException">The stream is disposed.</exception>
    /// <exception cref="InvalidOperationException">An earlier operation failed.</exception>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        EnsureUsable();
        await FlushCoreAsync(useAsync: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Compresses the rest, writes the trailer and, unless left open, disposes the destination.</summary>
    /// <returns>A task that completes when the stream is closed.</returns>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await CloseCoreAsync(useAsync: true).ConfigureAwait(false);
        }
        finally
        {
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            base.Dispose(disposing);
            return;
        }

        _disposed = true;
        try
        {
            SyncOverAsync.Wait(CloseCoreAsync(useAsync: false));
        }
        finally
        {
            base.Dispose(disposing);
        }
    }

    private static byte[] CreateHeader(int level)
    {
        // Fixed fields so the bytes depend on the data only: no name, mtime 0, XFL as zlib sets it, OS 3 (Unix).
        var extraFlags = level == 9 ? (byte)2 : level < 2 ? (byte)4 : (byte)0;
        return [.. CompressionDetector.GzipMagic, 8, 0, 0, 0, 0, 0, extraFlags, 3];
    }

    private async ValueTask FlushCoreAsync(bool useAsync, CancellationToken cancellationToken)
    {
        try
        {
            _pipeline.SubmitCurrent(_dataLevel);
            await _pipeline.DrainAsync(useAsync, cancellationToken).ConfigureAwait(false);
            await SyncOverAsync.FlushAsync(_destination, useAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
    }

    /// <summary>Finishes the member (or logs why not), then always stops the workers and, unless left open, disposes the destination.</summary>
    private async ValueTask CloseCoreAsync(bool useAsync)
    {
        try
        {
            if (_failure is null)
            {
                try
                {
                    await _pipeline.FinishAsync(_dataLevel, useAsync, CancellationToken.None).ConfigureAwait(false);

                    await SyncOverAsync.WriteAsync(_destination, useAsync, CreateTrailer(), CancellationToken.None).ConfigureAwait(false);
                    await SyncOverAsync.FlushAsync(_destination, useAsync, CancellationToken.None).ConfigureAwait(false);
                    Log.CompressorFinished(_logger, CompressionMethod.Gzip, _inputLength, _outputLength);
                }
                catch (Exception e)
                {
                    _failure = e;
                    throw;
                }
            }
            else
            {
                Log.CompressorAbandoned(_logger, CompressionMethod.Gzip, _failure);
            }
        }
        finally
        {
            await _pipeline.WaitForWorkersAsync(useAsync).ConfigureAwait(false);
            _pipeline.Dispose();
            if (!_leaveOpen)
            {
                if (useAsync)
                {
                    await _destination.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    _destination.Dispose();
                }
            }
        }
    }

    private async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                if (await _pipeline.PrepareAsync(_dataLevel, useAsync: true, cancellationToken).ConfigureAwait(false) > 0)
                {
                    var rest = Append(buffer.Span);
                    buffer = buffer[^rest.Length..];
                }
            }
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
    }

    private ReadOnlySpan<byte> Append(ReadOnlySpan<byte> buffer)
    {
        var rest = _pipeline.Append(buffer);
        _inputLength += buffer.Length - rest.Length;
        return rest;
    }

    /// <summary>The framing around the pipeline's chunks: the header before the first, each chunk's CRC-32 combined.</summary>
    private async ValueTask WriteChunkAsync(GzipChunk chunk, bool useAsync, CancellationToken cancellationToken)
    {
        if (!_headerWritten)
        {
            await SyncOverAsync.WriteAsync(_destination, useAsync, CreateHeader(_level), cancellationToken).ConfigureAwait(false);
            _headerWritten = true;
            _outputLength += HeaderLength;
        }

        await SyncOverAsync.WriteAsync(_destination, useAsync, chunk.Output.AsMemory(0, chunk.OutputLength), cancellationToken).ConfigureAwait(false);
        _outputLength += chunk.OutputLength;
        _crc = (uint)ZLib.Crc32Combine(_crc, chunk.Crc, chunk.Length);
    }

    private byte[] CreateTrailer()
    {
        var trailer = new byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), unchecked((uint)_inputLength));
        _outputLength += TrailerLength;
        return trailer;
    }

    private void EnsureUsable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null)
        {
            throw new InvalidOperationException("The gzip stream failed earlier and accepts no more data.", _failure);
        }
    }
}
