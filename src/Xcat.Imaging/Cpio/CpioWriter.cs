using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Internal;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Cpio;

/// <summary>
/// Writes a newc (<c>070701</c>) or crc (<c>070702</c>) cpio archive, the format the Linux kernel unpacks as an
/// initramfs, to a stream that may be unseekable (a <see cref="System.IO.Compression.GZipStream"/>, a pipe). Data is
/// copied through one 128 KiB buffer per writer, never loaded whole. Disposing the writer writes <c>TRAILER!!!</c> and, by
/// default, pads the archive to a multiple of 512 bytes.
/// </summary>
/// <remarks>
/// Every record is laid out as the kernel reads it (xCAT's packimage.pm): the 110-byte header and the NUL-terminated name
/// padded to a multiple of 4, then the data padded to a multiple of 4. Limits of the format are refused before
/// anything is written, so a refused entry leaves the archive intact. A failure after an entry's first byte (a data
/// stream shorter or longer than its length, an I/O error, cancellation) leaves a partial record: the writer then
/// refuses further entries and writes no trailer. Instances are not thread-safe.
/// </remarks>
public sealed class CpioWriter : IDisposable, IAsyncDisposable
{
    private const int BufferSize = 128 * 1024;
    private const int BlockSize = 512;

    private readonly Stream _archiveStream;
    private readonly bool _leaveOpen;
    private readonly bool _clampModificationTime;
    private readonly bool _trailerPadding;
    private readonly ILogger _logger;
    private readonly uint[] _fields = new uint[CpioHeader.FieldCount];
    private readonly byte[] _probe = new byte[1];
    private Memory<byte> _buffer;
    private long _bytesWritten;
    private long _entryCount;
    private bool _isFaulted;
    private bool _isDisposed;

    /// <summary>Initializes a writer of the given format with the default options.</summary>
    /// <param name="archiveStream">The destination; never sought, its position and length are never read.</param>
    /// <param name="format">The header format.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="archiveStream"/> open after the writer is disposed.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="archiveStream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="archiveStream"/> is not writable.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not <see cref="CpioFormat.Newc"/> or <see cref="CpioFormat.Crc"/>.</exception>
    public CpioWriter(Stream archiveStream, CpioFormat format = CpioFormat.Newc, bool leaveOpen = false, ILogger<CpioWriter>? logger = null)
        : this(archiveStream, CreateOptions(format), leaveOpen, logger)
    {
    }

    /// <summary>Initializes a writer with the given options.</summary>
    /// <param name="archiveStream">The destination; never sought, its position and length are never read.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults. They are read once, here.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="archiveStream"/> open after the writer is disposed.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="archiveStream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="archiveStream"/> is not writable.</exception>
    public CpioWriter(Stream archiveStream, CpioWriterOptions? options, bool leaveOpen = false, ILogger<CpioWriter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(archiveStream);
        if (!archiveStream.CanWrite)
        {
            throw new ArgumentException("The archive stream is not writable.", nameof(archiveStream));
        }

        options ??= new CpioWriterOptions();
        _archiveStream = archiveStream;
        _leaveOpen = leaveOpen;
        Format = options.Format;
        _clampModificationTime = options.ClampModificationTime;
        _trailerPadding = options.TrailerPadding;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the header format the writer writes.</summary>
    public CpioFormat Format { get; }

    /// <summary>
    /// Writes one entry: its header, name and, for a regular file or a symbolic link, its data. The entry is written
    /// as given: name, inode, link count and device numbers are not changed.
    /// </summary>
    /// <param name="entry">The entry. A regular file's data is read from its <see cref="CpioEntry.DataStream"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A regular file is 4 GiB or larger (<c>c_filesize</c> is 32 bits).
    /// -or-
    /// The modification time is before 1970 or after 2106-02-07T06:28:15Z and
    /// <see cref="CpioWriterOptions.ClampModificationTime"/> is off.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The name is longer than 4095 UTF-8 bytes or is <c>TRAILER!!!</c>.
    /// -or-
    /// A symbolic link has no target or one longer than 4095 UTF-8 bytes.
    /// -or-
    /// In crc format, a regular file's data stream is unseekable (the sum precedes the data) and was not read from a
    /// crc archive.
    /// </exception>
    /// <exception cref="IOException">
    /// The data stream ends before <see cref="CpioEntry.Length"/> bytes or holds more; the archive is then incomplete.
    /// -or-
    /// An I/O error occurred.
    /// </exception>
    /// <exception cref="InvalidDataException">A data stream read from a crc archive does not match its checksum.</exception>
    /// <exception cref="InvalidOperationException">An earlier entry failed part-way, leaving the archive incomplete.</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public void WriteEntry(CpioEntry entry)
    {
        var plan = Prepare(entry);
        var task = WriteEntryCoreAsync<SyncStreamAdapter>(entry, plan, CancellationToken.None);
        Debug.Assert(task.IsCompleted, "The sync adapter completes synchronously.");
        task.GetAwaiter().GetResult();
    }

    /// <summary>Asynchronously writes one entry; see <see cref="WriteEntry"/>.</summary>
    /// <param name="entry">The entry. A regular file's data is read from its <see cref="CpioEntry.DataStream"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation; cancelling part-way leaves the archive incomplete.</param>
    /// <returns>A task that completes when the entry is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A regular file is 4 GiB or larger, or the modification time does not fit (see <see cref="WriteEntry"/>).</exception>
    /// <exception cref="ArgumentException">The name or link target is too long or invalid, or crc format meets an unseekable stream (see <see cref="WriteEntry"/>).</exception>
    /// <exception cref="IOException">The data stream is shorter or longer than the entry's length, or an I/O error occurred.</exception>
    /// <exception cref="InvalidDataException">A data stream read from a crc archive does not match its checksum.</exception>
    /// <exception cref="InvalidOperationException">An earlier entry failed part-way, leaving the archive incomplete.</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public Task WriteEntryAsync(CpioEntry entry, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var plan = Prepare(entry);
        return WriteEntryCoreAsync<AsyncStreamAdapter>(entry, plan, cancellationToken).AsTask();
    }

    /// <summary>
    /// Writes the <c>TRAILER!!!</c> record and the padding (unless an entry failed part-way), then disposes the
    /// archive stream unless the writer was created with <c>leaveOpen</c>. An archive with no entries is a lone trailer,
    /// as <c>cpio -o &lt; /dev/null</c> writes.
    /// </summary>
    public void Dispose()
    {
        if (_isDisposed)
        {
            return;
        }

        try
        {
            if (!_isFaulted)
            {
                var task = WriteTrailerAsync<SyncStreamAdapter>(CancellationToken.None);
                Debug.Assert(task.IsCompleted, "The sync adapter completes synchronously.");
                task.GetAwaiter().GetResult();
            }
        }
        finally
        {
            _isDisposed = true;
            ReturnBuffer();
            if (!_leaveOpen)
            {
                _archiveStream.Dispose();
            }
        }
    }

    /// <summary>Asynchronously writes the trailer and padding and disposes the archive stream; see <see cref="Dispose"/>.</summary>
    /// <returns>A task that completes when the archive is finished.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_isDisposed)
        {
            return;
        }

        try
        {
            if (!_isFaulted)
            {
                // No token on purpose: finishing the archive must not be cancelled half-way (as TarWriter does).
                await WriteTrailerAsync<AsyncStreamAdapter>(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _isDisposed = true;
            ReturnBuffer();
            if (!_leaveOpen)
            {
                await _archiveStream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static CpioWriterOptions CreateOptions(CpioFormat format)
    {
        if (format is not (CpioFormat.Newc or CpioFormat.Crc))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "The cpio writer writes the newc and crc formats only.");
        }

        return new CpioWriterOptions { Format = format };
    }

    /// <summary>Gets the copy buffer, rented on first use: 64-byte aligned so data reads copy at full speed.</summary>
    private Memory<byte> Buffer => _buffer.IsEmpty ? _buffer = AlignedBuffer.Rent(BufferSize) : _buffer;

    private static string Shorten(string name) => DisplayText.Escape(name.Length <= 80 ? name : string.Concat(name.AsSpan(0, 77), "..."));

    private EntryPlan Prepare(CpioEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        if (_isFaulted)
        {
            throw new InvalidOperationException("An earlier entry failed part-way through; the cpio archive is incomplete and takes no more entries.");
        }

        var name = entry.Name;
        var nameLength = UnixNameEncoding.GetByteCount(name);
        if (nameLength >= CpioHeader.MaxNameSize)
        {
            throw new ArgumentException(
                $"The name '{Shorten(name)}' is {nameLength} bytes; a cpio name holds at most {CpioHeader.MaxNameSize - 1} bytes and its NUL (PATH_MAX, xCAT's packimage.pm, archive and compression).",
                nameof(entry));
        }

        if (name == "TRAILER!!!")
        {
            throw new ArgumentException("The name TRAILER!!! marks the end of a cpio archive and cannot name an entry.", nameof(entry));
        }

        long size = 0;
        if (entry.EntryType == CpioEntryType.RegularFile)
        {
            size = entry.Length;
            if (size > uint.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(entry), size,
                    $"'{Shorten(name)}' is {size} bytes; a cpio entry holds at most 4 GiB - 1 bytes (c_filesize is 32 bits, xCAT's packimage.pm).");
            }

            if (Format == CpioFormat.Crc && size > 0 && !entry.DataStream!.CanSeek && !entry.HasKnownChecksum)
            {
                throw new ArgumentException(
                    $"The crc header of '{Shorten(name)}' holds the sum of its data, so the data stream must be seekable to be summed first.",
                    nameof(entry));
            }
        }
        else if (entry.EntryType == CpioEntryType.SymbolicLink)
        {
            if (entry.LinkTarget is null)
            {
                throw new ArgumentException($"The symbolic link '{Shorten(name)}' has no LinkTarget.", nameof(entry));
            }

            size = entry.Length;
            if (size > CpioHeader.MaxLinkTargetLength)
            {
                throw new ArgumentException(
                    $"The target of '{Shorten(name)}' is {size} bytes; at most {CpioHeader.MaxLinkTargetLength} fit (PATH_MAX, xCAT's packimage.pm, archive and compression).",
                    nameof(entry));
            }
        }

        var seconds = entry.ModificationTime.ToUnixTimeSeconds();
        if (seconds is < 0 or > uint.MaxValue)
        {
            if (!_clampModificationTime)
            {
                throw new ArgumentOutOfRangeException(nameof(entry), entry.ModificationTime,
                    $"The modification time of '{Shorten(name)}' does not fit the 32-bit unsigned c_mtime (1970-01-01 to 2106-02-07T06:28:15Z); set CpioWriterOptions.ClampModificationTime to clamp it.");
            }

            var clamped = Math.Clamp(seconds, 0, uint.MaxValue);
            Log.CpioModificationTimeClamped(_logger, DisplayText.Escape(name), entry.ModificationTime, DateTimeOffset.FromUnixTimeSeconds(clamped));
            seconds = clamped;
        }

        return new EntryPlan(nameLength, size, (uint)seconds);
    }

    private async ValueTask WriteEntryCoreAsync<TAdapter>(CpioEntry entry, EntryPlan plan, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        var buffer = Buffer;
        var source = entry.EntryType == CpioEntryType.RegularFile && plan.Size > 0 ? entry.DataStream : null;
        uint checksum = 0;
        var verifyChecksum = false;
        if (Format == CpioFormat.Crc && source is not null)
        {
            if (source.CanSeek)
            {
                checksum = await SumAsync<TAdapter>(entry, source, plan.Size, buffer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                checksum = entry.Checksum;
                verifyChecksum = true;
            }
        }

        var length = FormatHeader(buffer.Span, entry, plan, checksum);
        try
        {
            if (source is null)
            {
                await TAdapter.WriteAsync(_archiveStream, buffer[..length], cancellationToken).ConfigureAwait(false);
                _bytesWritten += length;
            }
            else
            {
                await CopyDataAsync<TAdapter>(entry, source, plan.Size, buffer, length, verifyChecksum, checksum, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            _isFaulted = true;
            Log.CpioWriterFaulted(_logger, DisplayText.Escape(entry.Name), exception);
            throw;
        }

        _entryCount++;
    }

    /// <summary>Sums a seekable stream's data for the crc header, then seeks back to where the data starts.</summary>
    private static async ValueTask<uint> SumAsync<TAdapter>(CpioEntry entry, Stream source, long size, Memory<byte> buffer, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        var start = source.Position;
        uint sum = 0;
        var remaining = size;
        while (remaining > 0)
        {
            var read = await TAdapter.ReadAsync(source, buffer[..(int)Math.Min(remaining, buffer.Length)], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"The data stream of '{Shorten(entry.Name)}' ended after {size - remaining} of its {size} bytes.");
            }

            sum = CpioHeader.Sum(buffer.Span[..read], sum);
            remaining -= read;
        }

        source.Position = start;
        return sum;
    }

    /// <summary>
    /// Streams the data after the header already in <paramref name="buffer"/>, so a small file goes out in one write
    /// with its header; checks that the stream holds exactly <paramref name="size"/> bytes.
    /// </summary>
    private async ValueTask CopyDataAsync<TAdapter>(CpioEntry entry, Stream source, long size, Memory<byte> buffer, int filled,
        bool verifyChecksum, uint checksum, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        var remaining = size;
        uint sum = 0;
        if (filled + size > buffer.Length)
        {
            // A large file: send the header alone so every data read lands at the start of the buffer, at the same
            // alignment as the source; memcpy (rep movsb) slows down badly on misaligned copies.
            await TAdapter.WriteAsync(_archiveStream, buffer[..filled], cancellationToken).ConfigureAwait(false);
            _bytesWritten += filled;
            filled = 0;
        }

        while (remaining > 0)
        {
            if (filled == buffer.Length)
            {
                await TAdapter.WriteAsync(_archiveStream, buffer, cancellationToken).ConfigureAwait(false);
                _bytesWritten += filled;
                filled = 0;
            }

            var want = (int)Math.Min(remaining, buffer.Length - filled);
            var read = await TAdapter.ReadAsync(source, buffer.Slice(filled, want), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException(
                    $"The data stream of '{Shorten(entry.Name)}' ended after {size - remaining} of the {size} bytes given as its length; the cpio archive is incomplete.");
            }

            if (verifyChecksum)
            {
                sum = CpioHeader.Sum(buffer.Span.Slice(filled, read), sum);
            }

            filled += read;
            remaining -= read;
        }

        var longer = source.CanSeek
            ? source.Position < source.Length
            : await TAdapter.ReadAsync(source, _probe, cancellationToken).ConfigureAwait(false) > 0;
        if (longer)
        {
            throw new IOException(
                $"The data stream of '{Shorten(entry.Name)}' holds more than the {size} bytes given as its length; the cpio archive is incomplete.");
        }

        if (verifyChecksum && sum != checksum)
        {
            throw new InvalidDataException(
                $"The data of '{Shorten(entry.Name)}' sums to 0x{sum:X8}, not to its crc checksum 0x{checksum:X8}; the cpio archive is incomplete.");
        }

        var padding = CpioHeader.DataPadding(size);
        if (filled + padding > buffer.Length)
        {
            await TAdapter.WriteAsync(_archiveStream, buffer[..filled], cancellationToken).ConfigureAwait(false);
            _bytesWritten += filled;
            filled = 0;
        }

        buffer.Span.Slice(filled, padding).Clear();
        filled += padding;
        await TAdapter.WriteAsync(_archiveStream, buffer[..filled], cancellationToken).ConfigureAwait(false);
        _bytesWritten += filled;
    }

    private int FormatHeader(Span<byte> buffer, CpioEntry entry, EntryPlan plan, uint checksum)
    {
        var fields = _fields;
        fields[CpioHeader.Ino] = entry.Inode;
        fields[CpioHeader.Mode] = entry.RawMode;
        fields[CpioHeader.Uid] = entry.Uid;
        fields[CpioHeader.Gid] = entry.Gid;
        fields[CpioHeader.NLink] = entry.LinkCount;
        fields[CpioHeader.MTime] = plan.ModificationTime;
        fields[CpioHeader.FileSize] = (uint)plan.Size;
        fields[CpioHeader.DevMajor] = entry.FileSystemMajor;
        fields[CpioHeader.DevMinor] = entry.FileSystemMinor;
        fields[CpioHeader.RDevMajor] = entry.DeviceMajor;
        fields[CpioHeader.RDevMinor] = entry.DeviceMinor;
        fields[CpioHeader.NameSize] = (uint)plan.NameLength + 1;
        fields[CpioHeader.Check] = checksum;
        CpioHeader.Write(buffer, Format, fields);

        var position = CpioHeader.Size;
        UnixNameEncoding.GetBytes(entry.Name, buffer[position..]);
        var paddedName = CpioHeader.PaddedNameSize(plan.NameLength + 1);
        buffer.Slice(position + plan.NameLength, paddedName - plan.NameLength).Clear();
        position += paddedName;

        if (entry.EntryType == CpioEntryType.SymbolicLink)
        {
            var targetLength = (int)plan.Size;
            UnixNameEncoding.GetBytes(entry.LinkTarget!, buffer[position..]);
            var padding = CpioHeader.DataPadding(targetLength);
            buffer.Slice(position + targetLength, padding).Clear();
            position += targetLength + padding;
        }

        return position;
    }

    private async ValueTask WriteTrailerAsync<TAdapter>(CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        var buffer = Buffer;
        Array.Clear(_fields);
        _fields[CpioHeader.NLink] = 1;
        _fields[CpioHeader.NameSize] = (uint)CpioHeader.TrailerName.Length + 1;
        CpioHeader.Write(buffer.Span, Format, _fields);
        CpioHeader.TrailerName.CopyTo(buffer.Span[CpioHeader.Size..]);
        var length = CpioHeader.Size + CpioHeader.PaddedNameSize(CpioHeader.TrailerName.Length + 1);
        if (_trailerPadding)
        {
            length += (int)(-(_bytesWritten + length) & (BlockSize - 1));
        }

        var nameEnd = CpioHeader.Size + CpioHeader.TrailerName.Length;
        buffer.Span[nameEnd..length].Clear();
        await TAdapter.WriteAsync(_archiveStream, buffer[..length], cancellationToken).ConfigureAwait(false);
        _bytesWritten += length;
        Log.CpioArchiveWritten(_logger, Format, _entryCount, _bytesWritten);
    }

    private void ReturnBuffer()
    {
        if (!_buffer.IsEmpty)
        {
            AlignedBuffer.Return(_buffer);
            _buffer = default;
        }
    }

    private readonly record struct EntryPlan(int NameLength, long Size, uint ModificationTime);
}
