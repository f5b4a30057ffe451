using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Internal;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Cpio;

/// <summary>
/// Reads the entries of newc (<c>070701</c>), crc (<c>070702</c>) and odc (<c>070707</c>) cpio archives from a
/// stream that may be unseekable, the way the Linux kernel reads an initramfs: what GNU cpio, bsdtar and gen_init_cpio
/// write (hard-link data on any member of a group, padded tails), and by default several archives one after the other.
/// </summary>
/// <remarks>
/// <para>
/// The reader consumes exactly the bytes of the records it returns, never more, so the stream is left just after the
/// last record read; the one exception is zero padding before an archive (after a <c>TRAILER!!!</c>, or at the
/// start), which is skipped in blocks of 64 KiB, so that up to one block past the padding may already be read when the
/// next entry is returned. Padding longer than <see cref="CpioReaderOptions.MaximumPaddingLength"/> is refused, so an
/// endless stream of zeros ends the read in bounded time and memory. The reader does not group hard links: it
/// reports <see cref="CpioEntry.Inode"/>, <see cref="CpioEntry.LinkCount"/> and the file-system numbers, and the key
/// (file-system numbers and inode) is valid within one archive (<see cref="ArchiveIndex"/>), as in the kernel, which
/// forgets its links at each trailer.
/// </para>
/// <para>
/// Malformed input raises <see cref="InvalidDataException"/> with the byte offset (counted from where the reader
/// started) and the reason: bad magic (naming the old binary cpio format and compressed data when it sees them),
/// non-hex (newc, crc) or non-octal (odc) digits, a name size of 0 or over 4096, a name without its NUL, an unknown file type, data on a
/// directory or device, a crc sum mismatch, a missing trailer or a stream that ends inside a record. After such an
/// error the reader refuses to go on. Names and link targets are decoded with <see cref="UnixNameEncoding"/>, so
/// every byte is kept. Instances are not thread-safe.
/// </para>
/// </remarks>
public sealed class CpioReader : IDisposable, IAsyncDisposable
{
    private const int CopyBufferSize = 64 * 1024;

    private readonly Stream _archiveStream;
    private readonly bool _leaveOpen;
    private readonly bool _readConcatenatedArchives;
    private readonly bool _verifyChecksums;
    private readonly long _maximumPaddingLength;
    private readonly ILogger _logger;
    private readonly uint[] _fields = new uint[CpioHeader.FieldCount];
    private CpioFormat _recordFormat;
    private int _headerSize;
    private long _fileSize;
    private long _modificationTime;
    private int _zeroWordSize = 4;
    private readonly byte[] _record = new byte[CpioHeader.Size + CpioHeader.MaxNameSize + 4];
    private ReaderState _state;
    private long _offset;
    private long _archiveEntryCount;
    private CpioDataStream? _dataStream;
    private string _dataName = string.Empty;
    private long _dataRecordOffset;
    private long _dataRemaining;
    private int _dataPadding;
    private bool _dataVerify;
    private uint _dataSum;
    private uint _dataExpectedSum;
    private byte[]? _copyBuffer;
    private byte[]? _lookahead;
    private int _lookaheadStart;
    private int _lookaheadEnd;
    private bool _isFaulted;
    private bool _isDisposed;

    /// <summary>Initializes a reader with the default options.</summary>
    /// <param name="archiveStream">The archive; read from its current position, sought only to skip unread data.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="archiveStream"/> open after the reader is disposed.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="archiveStream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="archiveStream"/> is not readable.</exception>
    public CpioReader(Stream archiveStream, bool leaveOpen = false, ILogger<CpioReader>? logger = null)
        : this(archiveStream, null, leaveOpen, logger)
    {
    }

    /// <summary>Initializes a reader with the given options.</summary>
    /// <param name="archiveStream">The archive; read from its current position, sought only to skip unread data.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults. They are read once, here.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="archiveStream"/> open after the reader is disposed.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="archiveStream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="archiveStream"/> is not readable.</exception>
    public CpioReader(Stream archiveStream, CpioReaderOptions? options, bool leaveOpen = false, ILogger<CpioReader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(archiveStream);
        if (!archiveStream.CanRead)
        {
            throw new ArgumentException("The archive stream is not readable.", nameof(archiveStream));
        }

        options ??= new CpioReaderOptions();
        _archiveStream = archiveStream;
        _leaveOpen = leaveOpen;
        _readConcatenatedArchives = options.ReadConcatenatedArchives;
        _verifyChecksums = options.VerifyChecksums;
        _maximumPaddingLength = options.MaximumPaddingLength;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    private enum ReaderState
    {
        Start,
        InArchive,
        AfterTrailer,
        End,
    }

    /// <summary>
    /// Gets the zero-based index of the archive the last returned entry belongs to: 0 for the first archive, 1 after
    /// its <c>TRAILER!!!</c> when another archive follows, and so on. Hard-link keys are valid within one archive.
    /// </summary>
    public int ArchiveIndex { get; private set; }

    /// <summary>Gets the header format of the last returned entry; <see langword="null"/> before the first.</summary>
    public CpioFormat? Format { get; private set; }

    /// <summary>Bytes of the current entry's data not read yet.</summary>
    internal long DataRemaining => _dataRemaining;

    /// <summary>
    /// Reads the next entry, first skipping whatever the caller left unread of the previous entry's data.
    /// </summary>
    /// <param name="copyData">
    /// <see langword="false"/> to give a regular file's <see cref="CpioEntry.DataStream"/> as an unseekable window onto
    /// the archive, valid until the next call; <see langword="true"/> to copy the data into a
    /// <see cref="MemoryStream"/> that stays valid.
    /// </param>
    /// <returns>
    /// The entry, or <see langword="null"/> at the end: after the last archive's <c>TRAILER!!!</c> and any zero
    /// padding (or after the first trailer when <see cref="CpioReaderOptions.ReadConcatenatedArchives"/> is off), or at
    /// once for an empty stream.
    /// </returns>
    /// <exception cref="InvalidDataException">The archive is malformed or truncated, or a crc sum does not match.</exception>
    /// <exception cref="InvalidOperationException">An earlier call failed; the reader cannot go on.</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    /// <exception cref="IOException">An I/O error occurred.</exception>
    public CpioEntry? GetNextEntry(bool copyData = false)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        var task = GetNextEntryCoreAsync<SyncStreamAdapter>(copyData, CancellationToken.None);
        Debug.Assert(task.IsCompleted, "The sync adapter completes synchronously.");
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Asynchronously reads the next entry; see <see cref="GetNextEntry"/>.</summary>
    /// <param name="copyData"><see langword="true"/> to copy a regular file's data into memory; see <see cref="GetNextEntry"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation; a cancelled read leaves the reader unusable.</param>
    /// <returns>The entry, or <see langword="null"/> at the end.</returns>
    /// <exception cref="InvalidDataException">The archive is malformed or truncated, or a crc sum does not match.</exception>
    /// <exception cref="InvalidOperationException">An earlier call failed; the reader cannot go on.</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    /// <exception cref="IOException">An I/O error occurred.</exception>
    public ValueTask<CpioEntry?> GetNextEntryAsync(bool copyData = false, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<CpioEntry?>(cancellationToken);
        }

        ObjectDisposedException.ThrowIf(_isDisposed, this);
        return GetNextEntryCoreAsync<AsyncStreamAdapter>(copyData, cancellationToken);
    }

    /// <summary>Ends the current entry's data window and disposes the archive stream unless the reader was created with <c>leaveOpen</c>.</summary>
    public void Dispose()
    {
        if (_isDisposed)
        {
            return;
        }

        Close();
        if (!_leaveOpen)
        {
            _archiveStream.Dispose();
        }
    }

    /// <summary>Asynchronously ends the current entry's data window and disposes the archive stream; see <see cref="Dispose"/>.</summary>
    /// <returns>A task that completes when the reader is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_isDisposed)
        {
            return;
        }

        Close();
        if (!_leaveOpen)
        {
            await _archiveStream.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal int ReadData(Span<byte> buffer)
    {
        if (_dataRemaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        if (buffer.Length > _dataRemaining)
        {
            buffer = buffer[..(int)_dataRemaining];
        }

        var read = ReadSource(buffer);
        AfterDataRead(buffer[..read]);
        return read;
    }

    internal async ValueTask<int> ReadDataAsync<TAdapter>(Memory<byte> buffer, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        if (_dataRemaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        if (buffer.Length > _dataRemaining)
        {
            buffer = buffer[..(int)_dataRemaining];
        }

        var read = await ReadSourceAsync<TAdapter>(buffer, cancellationToken).ConfigureAwait(false);
        AfterDataRead(buffer.Span[..read]);
        return read;
    }

    private static InvalidDataException Corrupt(long offset, string message) =>
        new($"Malformed cpio archive at byte offset {offset}: {message}");

    private static string Quote(ReadOnlySpan<byte> name) =>
        DisplayText.Escape(name.Length <= 80 ? UnixNameEncoding.GetString(name) : UnixNameEncoding.GetString(name[..77]) + "...");

    private static string? DescribeForeignFormat(ReadOnlySpan<byte> start)
    {
        if (start.StartsWith(CpioHeader.BinaryLittleEndianMagic))
        {
            return "the old binary cpio format (magic 070707 as a little-endian short)";
        }

        if (start.StartsWith(CpioHeader.BinaryBigEndianMagic))
        {
            return "the old binary cpio format (magic 070707 as a big-endian short)";
        }

        return CompressionDetector.DescribeCompressed(start);
    }

    private void Close()
    {
        _isDisposed = true;
        _dataStream?.Invalidate();
        _dataStream = null;
        if (_copyBuffer is { } buffer)
        {
            _copyBuffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_lookahead is { } lookahead)
        {
            _lookahead = null;
            _lookaheadStart = _lookaheadEnd = 0;
            ArrayPool<byte>.Shared.Return(lookahead);
        }
    }

    private async ValueTask<CpioEntry?> GetNextEntryCoreAsync<TAdapter>(bool copyData, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        if (_isFaulted)
        {
            throw new InvalidOperationException("An earlier read of this cpio archive failed; the reader cannot go on.");
        }

        try
        {
            await FinishDataAsync<TAdapter>(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (_state == ReaderState.End)
                {
                    return null;
                }

                if (_state != ReaderState.InArchive && _readConcatenatedArchives
                    && !await SkipZerosAsync<TAdapter>(cancellationToken).ConfigureAwait(false))
                {
                    _state = ReaderState.End;
                    return null;
                }

                var recordOffset = _offset;

                // The shorter odc header first, so that an odc record is never read past.
                var have = await ReadAtMostAsync<TAdapter>(_record.AsMemory(0, CpioHeader.OdcSize), cancellationToken).ConfigureAwait(false);
                if (have == CpioHeader.OdcSize && !_record.AsSpan(0, CpioHeader.MagicLength).SequenceEqual(CpioHeader.OdcMagic))
                {
                    have += await ReadAtMostAsync<TAdapter>(_record.AsMemory(have, CpioHeader.Size - have), cancellationToken).ConfigureAwait(false);
                }

                if (have == 0)
                {
                    if (_state == ReaderState.Start)
                    {
                        _state = ReaderState.End;
                        return null;
                    }

                    throw Corrupt(recordOffset, "the stream ends without a TRAILER!!! record; the archive is truncated.");
                }

                ParseHeader(recordOffset, have);
                if (_state == ReaderState.AfterTrailer)
                {
                    ArchiveIndex++;
                    _archiveEntryCount = 0;
                    Log.CpioConcatenatedArchive(_logger, ArchiveIndex, recordOffset);
                }

                _state = ReaderState.InArchive;
                var entry = await ReadRecordAsync<TAdapter>(recordOffset, copyData, cancellationToken).ConfigureAwait(false);
                if (entry is not null)
                {
                    _archiveEntryCount++;
                    return entry;
                }

                Log.CpioArchiveEnded(_logger, ArchiveIndex, recordOffset, _archiveEntryCount);

                // newc pads to 4-byte words; odc pads nothing, so GNU cpio's block padding after it may end at any byte.
                _zeroWordSize = _recordFormat == CpioFormat.Odc ? 1 : 4;
                if (!_readConcatenatedArchives)
                {
                    _state = ReaderState.End;
                    return null;
                }

                _state = ReaderState.AfterTrailer;
            }
        }
        catch
        {
            _isFaulted = true;
            throw;
        }
    }

    /// <summary>
    /// Checks the magic and parses the header in <see cref="_record"/>: the 13 hex fields of newc and crc, or the 10
    /// octal fields of odc, into <see cref="_fields"/> (newc's layout), <see cref="_fileSize"/> and <see cref="_modificationTime"/>.
    /// </summary>
    private void ParseHeader(long recordOffset, int have)
    {
        var header = _record.AsSpan(0, have);
        var magic = header[..Math.Min(have, CpioHeader.MagicLength)];
        if (magic.SequenceEqual(CpioHeader.OdcMagic))
        {
            ParseOdcHeader(recordOffset, header);
            return;
        }

        if (!CpioHeader.NewcMagic.StartsWith(magic) && !CpioHeader.CrcMagic.StartsWith(magic))
        {
            var foreign = DescribeForeignFormat(header);
            throw Corrupt(recordOffset, foreign is null
                ? $"'{CpioHeader.Printable(magic)}' is not the magic of a newc (070701), crc (070702) or odc (070707) cpio header."
                : $"this is {foreign}; only the newc (070701), crc (070702) and odc (070707) cpio formats are supported.");
        }

        if (have < CpioHeader.Size)
        {
            throw Corrupt(recordOffset, $"the stream ends inside a cpio header ({have} of its {CpioHeader.Size} bytes); the archive is truncated.");
        }

        for (var i = 0; i < CpioHeader.FieldCount; i++)
        {
            if (!CpioHeader.TryParseField(header, i, out _fields[i]))
            {
                throw Corrupt(recordOffset + CpioHeader.MagicLength + (8 * i),
                    $"the {CpioHeader.FieldName(i)} field is '{CpioHeader.Printable(header.Slice(CpioHeader.MagicLength + (8 * i), 8))}', not 8 hex digits.");
            }
        }

        _recordFormat = header[5] == (byte)'2' ? CpioFormat.Crc : CpioFormat.Newc;
        _headerSize = CpioHeader.Size;
        _fileSize = _fields[CpioHeader.FileSize];
        _modificationTime = _fields[CpioHeader.MTime];
    }

    /// <summary>Parses an odc header into newc's fields: the device numbers split as glibc does, no checksum.</summary>
    private void ParseOdcHeader(long recordOffset, ReadOnlySpan<byte> header)
    {
        if (header.Length < CpioHeader.OdcSize)
        {
            throw Corrupt(recordOffset, $"the stream ends inside a cpio header ({header.Length} of its {CpioHeader.OdcSize} bytes); the archive is truncated.");
        }

        Span<long> values = stackalloc long[CpioHeader.OdcFieldCount];
        for (var i = 0; i < CpioHeader.OdcFieldCount; i++)
        {
            if (!CpioHeader.TryParseOdcField(header, i, out values[i]))
            {
                var (name, offset, width) = CpioHeader.OdcField(i);
                throw Corrupt(recordOffset + offset, $"the {name} field is '{CpioHeader.Printable(header.Slice(offset, width))}', not {width} octal digits.");
            }
        }

        // Six octal digits are 18 bits, so these fit a uint; only mtime and filesize are wider.
        (_fields[CpioHeader.DevMajor], _fields[CpioHeader.DevMinor]) = CpioHeader.SplitOdcDevice(values[CpioHeader.OdcDev]);
        (_fields[CpioHeader.RDevMajor], _fields[CpioHeader.RDevMinor]) = CpioHeader.SplitOdcDevice(values[CpioHeader.OdcRDev]);
        _fields[CpioHeader.Ino] = (uint)values[CpioHeader.OdcIno];
        _fields[CpioHeader.Mode] = (uint)values[CpioHeader.OdcMode];
        _fields[CpioHeader.Uid] = (uint)values[CpioHeader.OdcUid];
        _fields[CpioHeader.Gid] = (uint)values[CpioHeader.OdcGid];
        _fields[CpioHeader.NLink] = (uint)values[CpioHeader.OdcNLink];
        _fields[CpioHeader.NameSize] = (uint)values[CpioHeader.OdcNameSize];
        _fields[CpioHeader.MTime] = 0;
        _fields[CpioHeader.FileSize] = 0;
        _fields[CpioHeader.Check] = 0;
        _recordFormat = CpioFormat.Odc;
        _headerSize = CpioHeader.OdcSize;
        _fileSize = values[CpioHeader.OdcFileSize];
        _modificationTime = values[CpioHeader.OdcMTime];
    }

    /// <summary>Reads the name and, by type, the data of the record whose header is parsed; <see langword="null"/> for the trailer.</summary>
    private async ValueTask<CpioEntry?> ReadRecordAsync<TAdapter>(long recordOffset, bool copyData, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        var format = _recordFormat;
        var odc = format == CpioFormat.Odc;
        var headerSize = _headerSize;
        var nameSize = _fields[CpioHeader.NameSize];
        var fileSize = _fileSize;
        var mode = _fields[CpioHeader.Mode];
        var checksum = _fields[CpioHeader.Check];
        if (nameSize is 0 or > CpioHeader.MaxNameSize)
        {
            throw Corrupt(recordOffset, $"c_namesize is {nameSize}; a name takes 1 to {CpioHeader.MaxNameSize} bytes with its NUL.");
        }

        var paddedName = odc ? (int)nameSize : CpioHeader.PaddedNameSize((int)nameSize);
        var got = await ReadAtMostAsync<TAdapter>(_record.AsMemory(headerSize, paddedName), cancellationToken).ConfigureAwait(false);
        if (got < nameSize)
        {
            throw Corrupt(_offset, $"the stream ends inside the name of the record at offset {recordOffset}; the archive is truncated.");
        }

        var nameBytes = _record.AsSpan(headerSize, (int)nameSize);
        if (nameBytes[^1] != 0)
        {
            throw Corrupt(recordOffset, $"the name '{CpioHeader.Printable(nameBytes[..Math.Min(nameBytes.Length, 80)])}' does not end with NUL.");
        }

        nameBytes = nameBytes[..nameBytes.IndexOf((byte)0)];
        if (nameBytes.SequenceEqual(CpioHeader.TrailerName))
        {
            // The trailer may end a stream without its name padding; nothing else may.
            if (fileSize != 0)
            {
                throw Corrupt(recordOffset, $"the TRAILER!!! record has c_filesize {fileSize}.");
            }

            return null;
        }

        if (got < paddedName)
        {
            throw Corrupt(_offset, $"the stream ends inside the name padding of the record at offset {recordOffset}; the archive is truncated.");
        }

        if (nameBytes.IsEmpty)
        {
            throw Corrupt(recordOffset, "the entry name is empty.");
        }

        if (mode > 0xFFFF || !CpioHeader.TryGetEntryType(mode, out var type))
        {
            throw Corrupt(recordOffset, $"c_mode 0{Convert.ToString(mode, 8)} of '{Quote(nameBytes)}' is not a regular file, directory, symbolic link, device, FIFO or socket.");
        }

        if (fileSize != 0 && type is not (CpioEntryType.RegularFile or CpioEntryType.SymbolicLink))
        {
            throw Corrupt(recordOffset, $"the {type} '{Quote(nameBytes)}' has c_filesize {fileSize}; only regular files and symbolic links carry data.");
        }

        if (type == CpioEntryType.SymbolicLink && fileSize == 0)
        {
            throw Corrupt(recordOffset, $"the symbolic link '{Quote(nameBytes)}' has an empty target (c_filesize 0).");
        }

        if (type == CpioEntryType.SymbolicLink && fileSize > CpioHeader.MaxNameSize)
        {
            throw Corrupt(recordOffset, $"the symbolic link '{Quote(nameBytes)}' has a target of {fileSize} bytes; a target takes 1 to {CpioHeader.MaxNameSize}.");
        }

        var name = UnixNameEncoding.GetString(nameBytes);
        var entry = new CpioEntry(type, name, (UnixFileMode)(mode & 0xFFF))
        {
            Inode = _fields[CpioHeader.Ino],
            Uid = _fields[CpioHeader.Uid],
            Gid = _fields[CpioHeader.Gid],
            LinkCount = _fields[CpioHeader.NLink],
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(_modificationTime),
            FileSystemMajor = _fields[CpioHeader.DevMajor],
            FileSystemMinor = _fields[CpioHeader.DevMinor],
            Checksum = checksum,
        };
        entry.SetReadDevice(_fields[CpioHeader.RDevMajor], _fields[CpioHeader.RDevMinor]);
        Format = format;

        if (type == CpioEntryType.SymbolicLink)
        {
            var total = (int)fileSize + (odc ? 0 : CpioHeader.DataPadding(fileSize));
            if (await ReadAtMostAsync<TAdapter>(_record.AsMemory(0, total), cancellationToken).ConfigureAwait(false) < total)
            {
                throw Corrupt(_offset, $"the stream ends inside the target of the symbolic link '{DisplayText.Escape(name)}' (record at offset {recordOffset}); the archive is truncated.");
            }

            var target = _record.AsSpan(0, (int)fileSize);
            if (target.Contains((byte)0))
            {
                throw Corrupt(recordOffset, $"the target of the symbolic link '{DisplayText.Escape(name)}' contains a NUL byte.");
            }

            entry.SetReadLinkTarget(UnixNameEncoding.GetString(target));
        }
        else if (type == CpioEntryType.RegularFile)
        {
            _dataName = DisplayText.Escape(name);
            _dataRecordOffset = recordOffset;
            _dataRemaining = fileSize;
            _dataPadding = odc ? 0 : CpioHeader.DataPadding(fileSize);
            _dataVerify = format == CpioFormat.Crc && _verifyChecksums;
            _dataSum = 0;
            _dataExpectedSum = checksum;
            if (fileSize == 0 && _dataVerify)
            {
                VerifyChecksum();
            }

            if (copyData)
            {
                entry.SetReadData(await CopyDataAsync<TAdapter>(fileSize, cancellationToken).ConfigureAwait(false), fileSize, checksum, format == CpioFormat.Crc);
            }
            else
            {
                _dataStream = new CpioDataStream(this, fileSize);
                entry.SetReadData(_dataStream, fileSize, checksum, format == CpioFormat.Crc);
            }
        }

        return entry;
    }

    private async ValueTask<MemoryStream> CopyDataAsync<TAdapter>(long size, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        // Grows with the bytes actually read, so a corrupt c_filesize cannot make us allocate 4 GiB up front.
        var copy = new MemoryStream((int)Math.Min(size, CopyBufferSize));
        var buffer = _copyBuffer ??= ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        while (_dataRemaining > 0)
        {
            var read = await ReadDataAsync<TAdapter>(buffer, cancellationToken).ConfigureAwait(false);
            copy.Write(buffer, 0, read);
        }

        copy.Position = 0;
        return copy;
    }

    /// <summary>Skips what is left of the previous entry's data and its padding, and closes its window.</summary>
    private async ValueTask FinishDataAsync<TAdapter>(CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        _dataStream?.Invalidate();
        _dataStream = null;
        if (_dataRemaining > 0)
        {
            if (!_dataVerify && _archiveStream.CanSeek)
            {
                var buffered = (int)Math.Min(_lookaheadEnd - _lookaheadStart, _dataRemaining);
                _lookaheadStart += buffered;
                _offset += buffered;
                _dataRemaining -= buffered;
                var available = _archiveStream.Length - _archiveStream.Position;
                if (available < _dataRemaining)
                {
                    throw Corrupt(_offset + Math.Max(available, 0),
                        $"the stream ends inside the data of '{_dataName}' (record at offset {_dataRecordOffset}); the archive is truncated.");
                }

                _archiveStream.Seek(_dataRemaining, SeekOrigin.Current);
                _offset += _dataRemaining;
                _dataRemaining = 0;
            }
            else
            {
                var buffer = _copyBuffer ??= ArrayPool<byte>.Shared.Rent(CopyBufferSize);
                while (_dataRemaining > 0)
                {
                    await ReadDataAsync<TAdapter>(buffer, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (_dataPadding > 0)
        {
            var padding = _dataPadding;
            _dataPadding = 0;
            if (await ReadAtMostAsync<TAdapter>(_record.AsMemory(0, padding), cancellationToken).ConfigureAwait(false) < padding)
            {
                throw Corrupt(_offset, $"the stream ends inside the padding after the data of '{_dataName}'; the archive is truncated.");
            }
        }
    }

    private void AfterDataRead(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw Corrupt(_offset,
                $"the stream ends {_dataRemaining} bytes before the end of the data of '{_dataName}' (record at offset {_dataRecordOffset}); the archive is truncated.");
        }

        _offset += data.Length;
        _dataRemaining -= data.Length;
        if (_dataVerify)
        {
            _dataSum = CpioHeader.Sum(data, _dataSum);
            if (_dataRemaining == 0)
            {
                VerifyChecksum();
            }
        }
    }

    private void VerifyChecksum()
    {
        _dataVerify = false;
        if (_dataSum != _dataExpectedSum)
        {
            throw Corrupt(_dataRecordOffset,
                $"the data of '{_dataName}' sums to 0x{_dataSum:X8} but its crc header says 0x{_dataExpectedSum:X8} (bad data checksum).");
        }
    }

    /// <summary>
    /// Skips 4-byte words of zeros before an archive, in blocks, the way the kernel skips the padding between archives
    /// (xCAT's packimage.pm, packimage.pm, file list), or single zero bytes after an odc archive; returns <see langword="false"/> at the end of the
    /// stream, else <see langword="true"/> with the first other word kept in the look-ahead for the header.
    /// </summary>
    private async ValueTask<bool> SkipZerosAsync<TAdapter>(CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        var start = _offset;
        _lookahead ??= ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        while (true)
        {
            var available = _lookaheadEnd - _lookaheadStart;
            if (available < _zeroWordSize)
            {
                // Keep the part of a word already read and read more after it.
                _lookahead.AsSpan(_lookaheadStart, available).CopyTo(_lookahead);
                _lookaheadStart = 0;
                _lookaheadEnd = available;
                var read = await TAdapter.ReadAsync(_archiveStream, _lookahead.AsMemory(available, CopyBufferSize - available), cancellationToken)
                    .ConfigureAwait(false);
                if (read > 0)
                {
                    _lookaheadEnd += read;
                    continue;
                }

                if (_lookahead.AsSpan(0, available).ContainsAnyExcept((byte)0))
                {
                    return true; // a partial word that is not padding: the header read reports it
                }

                _offset += available;
                _lookaheadEnd = 0;
                return false;
            }

            var other = _lookahead.AsSpan(_lookaheadStart, available).IndexOfAnyExcept((byte)0);
            var zeros = (other < 0 ? available : other) & -_zeroWordSize;
            _lookaheadStart += zeros;
            _offset += zeros;
            if (_offset - start > _maximumPaddingLength)
            {
                throw Corrupt(start, $"more than {_maximumPaddingLength} bytes of zeros follow (CpioReaderOptions.MaximumPaddingLength); refusing to read further.");
            }

            if (other >= 0)
            {
                return true;
            }
        }
    }

    /// <summary>Reads what is left of the look-ahead, else from the archive stream.</summary>
    private int ReadSource(Span<byte> buffer)
    {
        if (_lookaheadStart < _lookaheadEnd)
        {
            var count = Math.Min(buffer.Length, _lookaheadEnd - _lookaheadStart);
            _lookahead.AsSpan(_lookaheadStart, count).CopyTo(buffer);
            _lookaheadStart += count;
            return count;
        }

        return _archiveStream.Read(buffer);
    }

    private ValueTask<int> ReadSourceAsync<TAdapter>(Memory<byte> buffer, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
        => _lookaheadStart < _lookaheadEnd
            ? ValueTask.FromResult(ReadSource(buffer.Span))
            : TAdapter.ReadAsync(_archiveStream, buffer, cancellationToken);

    /// <summary>Fills <paramref name="buffer"/> unless the stream ends first; returns the bytes read.</summary>
    private async ValueTask<int> ReadAtMostAsync<TAdapter>(Memory<byte> buffer, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await ReadSourceAsync<TAdapter>(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        _offset += total;
        return total;
    }
}
