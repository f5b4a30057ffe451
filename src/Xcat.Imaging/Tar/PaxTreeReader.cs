using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Internal;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tar;

/// <summary>
/// Reads tar streams as tree entries, as GNU tar and bsdtar write them: v7 (no magic), old GNU (<c>"ustar  \0"</c>),
/// GNU, ustar and PAX headers, GNU long names, and GNU sparse members. PAX values are kept as raw bytes so that
/// binary <c>SCHILY.xattr.*</c> values such as <c>security.capability</c> survive, which System.Formats.Tar's
/// string-typed extended attributes cannot guarantee. Names and link targets are decoded with
/// <see cref="UnixNameEncoding"/>, so every name byte survives.
/// </summary>
/// <remarks>
/// <para>
/// <b>Headers.</b> The checksum may end with NUL, space or both after six or seven octal digits, and may be the
/// signed-byte sum that old tars computed. A regular member whose name ends with <c>/</c> is a directory (v7's
/// spelling, which GNU tar honours for every format). The POSIX prefix field is read only under POSIX's magic.
/// </para>
/// <para>
/// <b>GNU sparse members</b> (old GNU type <c>S</c> with its extension headers; PAX formats 0.0, 0.1 and 1.0) come
/// out as the real file: <see cref="TreeEntry.Length"/> is the real size (<c>GNU.sparse.realsize</c>, old GNU's
/// real-size field), the name is the real name (<c>GNU.sparse.name</c>, not <c>GNUSparseFile.NNN/</c>), and the data
/// stream is a <see cref="SparseDataStream"/>, which reads holes as zeros for every consumer (inspection, bundles,
/// repacking) and lets <see cref="TreeExtractor"/> step over them through <see cref="ISparseData"/>, so that the
/// extracted file keeps its holes. The map is validated before the member is returned: segments in order and not
/// overlapping, within the real size, no overflow, at most <see cref="MaxSparseSegments"/> of them, and their
/// lengths adding up to the stored data.
/// </para>
/// <para>
/// <b>Vendor types</b> (<c>A</c>..<c>Z</c> that are not GNU's <c>D</c>, <c>K</c>, <c>L</c>, <c>S</c>): a dumpdir
/// (<c>D</c>) is a directory, as GNU tar extracts it; a volume label (<c>V</c>) is skipped quietly; any other
/// (Solaris ACL <c>A</c> and extended header <c>X</c>, multivolume continuation <c>M</c>, <c>N</c>, star's <c>I</c>,
/// ...) is skipped with a warning (event 5201) and counted in <see cref="SkippedMembers"/>. Other unknown types
/// are refused.
/// </para>
/// <para>
/// <b>PAX records</b> are read as libarchive reads them where that is safe: the last record may lack its newline
/// (so an empty value with no newline is read), NUL padding after the last record is ignored, fractions of a second
/// beyond 100 ns are truncated, times may be negative, and keywords that are not known are ignored.
/// </para>
/// <para>
/// Hostile input raises <see cref="InvalidDataException"/> naming the member (or, before any member, the offset):
/// numeric fields and records that are not numbers or out of range (octal, base-256 and the PAX <c>size</c>,
/// <c>uid</c>, <c>gid</c>, <c>mtime</c>, <c>atime</c>, <c>ctime</c>, <c>SCHILY.devmajor</c>/<c>devminor</c>, the
/// <c>GNU.sparse.*</c> numbers), malformed PAX records (a length that is not a number, overflows or leaves the
/// header, a record other than the last without its newline), names and link targets that are empty, hold a NUL or
/// exceed PATH_MAX, empty or NUL-holding attribute names, and bad sparse maps. Metadata records are limited to
/// 1 MiB each.
/// </para>
/// </remarks>
public sealed class PaxTreeReader : IDisposable, IAsyncDisposable
{
    /// <summary>The most segments a sparse map may have (16 bytes each in memory).</summary>
    public const int MaxSparseSegments = 1 << 20;

    private const int BlockSize = 512;
    private const long MaxMetadataSize = 1 << 20;

    /// <summary>PATH_MAX less the NUL that ends it: the longest name or link target the kernel takes.</summary>
    private const int MaxPathLength = 4095;

    private const string XattrPrefix = "SCHILY.xattr.";

    private static readonly long s_minSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long s_maxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private readonly Stream _stream;
    private readonly StreamOwnership _ownership;
    private readonly byte[] _block = new byte[BlockSize];
    private readonly ILogger _logger;
    private long _offset;
    private long _pendingData;
    private int _pendingPadding;
    private string _dataName = string.Empty;

    /// <summary>Initializes a reader over a tar stream, which need not be seekable.</summary>
    /// <param name="stream">The tar stream (already decompressed).</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="stream"/> open when the reader is disposed.</param>
    /// <param name="logger">Receives the warnings for skipped vendor members; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    public PaxTreeReader(Stream stream, bool leaveOpen = false, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        _stream = stream;
        _ownership = new StreamOwnership(stream, leaveOpen);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the number of members skipped so far because their (vendor) type is not supported.</summary>
    public long SkippedMembers { get; private set; }

    /// <summary>Whether a 512-byte block is a tar header of any format, v7 included: its checksum must verify.</summary>
    public static bool IsHeader(ReadOnlySpan<byte> block)
        => block.Length >= BlockSize && block[..BlockSize].ContainsAnyExcept((byte)0) && ChecksumMatches(block[..BlockSize]);

    /// <summary>Returns the next member and a stream over its data (valid until the next call), or <see langword="null"/> at the end.</summary>
    /// <returns>The member's entry and, for a regular file, its data; <see langword="null"/> after the last member.</returns>
    /// <exception cref="InvalidDataException">The archive is malformed or truncated; the message names the member or offset.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public (TreeEntry Entry, Stream? Data)? Read()
        => SyncOverAsync.Wait(ReadCoreAsync(useAsync: false, CancellationToken.None));

    /// <summary>Returns the next member and a stream over its data (valid until the next call), or <see langword="null"/> at the end.</summary>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The member's entry and, for a regular file, its data; <see langword="null"/> after the last member.</returns>
    /// <exception cref="InvalidDataException">The archive is malformed or truncated; the message names the member or offset.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public ValueTask<(TreeEntry Entry, Stream? Data)?> ReadAsync(CancellationToken cancellationToken = default)
        => ReadCoreAsync(useAsync: true, cancellationToken);

    private async ValueTask<(TreeEntry Entry, Stream? Data)?> ReadCoreAsync(bool useAsync, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_ownership.IsDisposed, this);
        while (true)
        {
            var (done, item) = await ReadNextAsync(useAsync, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                return item;
            }
        }
    }

    /// <summary>Disposes the stream unless the reader was created with <c>leaveOpen</c>.</summary>
    public void Dispose() => _ownership.Dispose();

    /// <summary>Disposes the stream asynchronously unless the reader was created with <c>leaveOpen</c>.</summary>
    /// <returns>A task that completes when the stream is disposed.</returns>
    public ValueTask DisposeAsync() => _ownership.DisposeAsync();

    /// <summary>Reads one member; <c>Done</c> is false when it was skipped.</summary>
    private async ValueTask<(bool Done, (TreeEntry Entry, Stream? Data)? Item)> ReadNextAsync(bool useAsync, CancellationToken cancellationToken)
    {
        await SkipAsync(useAsync, _pendingData + _pendingPadding, cancellationToken).ConfigureAwait(false);
        _pendingData = 0;
        _pendingPadding = 0;
        _dataName = string.Empty;
        Dictionary<string, byte[]>? pax = null;
        List<(string Key, byte[] Value)>? sparseRecords = null;
        long metadataSize = 0;
        string? longName = null, longLink = null;
        string? problem = null;
        var metadataOffset = -1L;
        while (true)
        {
            var headerOffset = _offset;
            if (!await ReadBlockAsync(useAsync, cancellationToken).ConfigureAwait(false) || !_block.AsSpan().ContainsAnyExcept((byte)0))
            {
                if (metadataOffset >= 0)
                {
                    throw new InvalidDataException(
                        $"The tar archive ends after the metadata record at offset {metadataOffset}, without the member it describes; the archive is truncated.");
                }

                return (true, null);
            }

            VerifyChecksum(headerOffset);
            var type = _block[156];
            if (type is (byte)'x' or (byte)'g' or (byte)'L' or (byte)'K')
            {
                var kind = type switch { (byte)'x' => "PAX header", (byte)'g' => "PAX global header", (byte)'L' => "GNU long name", _ => "GNU long link name" };
                var size = HeaderNumber(124, 12, "size", 0, MaxMetadataSize, headerOffset, member: null, what: kind);
                metadataSize += size;
                if (metadataSize > MaxMetadataSize)
                {
                    throw new InvalidDataException(
                        $"The tar metadata records that end with the {kind} at offset {headerOffset} hold more than {MaxMetadataSize} bytes for one member.");
                }

                var data = new byte[size];
                await ReadExactlyAsync(useAsync, data, headerOffset, cancellationToken).ConfigureAwait(false);
                await SkipAsync(useAsync, Padding(size), cancellationToken).ConfigureAwait(false);
                metadataOffset = headerOffset;
                if (problem is not null)
                {
                    continue;
                }

                switch (type)
                {
                    case (byte)'x':
                        problem = ParseRecords(data, pax ??= new Dictionary<string, byte[]>(StringComparer.Ordinal), sparseRecords ??= []);
                        break;
                    case (byte)'L':
                        longName = UnixNameEncoding.GetString(data.AsSpan().TrimEnd((byte)0));
                        break;
                    case (byte)'K':
                        longLink = UnixNameEncoding.GetString(data.AsSpan().TrimEnd((byte)0));
                        break;
                }

                if (problem is not null)
                {
                    problem = $"its {kind} at offset {headerOffset} {problem}";
                }

                continue;
            }

            var rawName = longName ?? Text(pax, "path") ?? CombinePrefix();
            var name = Text(pax, "GNU.sparse.name") is { Length: > 0 } sparseName ? sparseName : rawName;
            if (problem is not null)
            {
                throw Invalid(name, headerOffset, problem);
            }

            if (type is >= (byte)'A' and <= (byte)'Z' and not ((byte)'D' or (byte)'S'))
            {
                SkipVendorMember(type, name, pax, headerOffset);
                return (false, null);
            }

            return (true, await ReadMemberAsync(useAsync, type, name, longLink, pax, sparseRecords, headerOffset, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Skips a member of a vendor type, data and all; GNU tar's own volume label quietly.</summary>
    private void SkipVendorMember(byte type, string name, Dictionary<string, byte[]>? pax, long headerOffset)
    {
        var size = PaxNumber(pax, "size", long.MaxValue, name, headerOffset) ?? HeaderNumber(124, 12, "size", 0, long.MaxValue, headerOffset, name);
        var shown = DisplayText.Escape(name);
        var typeText = ((char)type).ToString();
        if (type == (byte)'V')
        {
            Log.TarVolumeLabelSkipped(_logger, shown);
        }
        else
        {
            SkippedMembers++;
            Log.TarMemberSkipped(_logger, shown, typeText, VendorTypeName(type));
        }

        _dataName = $" inside the data of '{shown}'";
        _pendingData = size;
        _pendingPadding = Padding(size);
    }

    private static string VendorTypeName(byte type) => type switch
    {
        (byte)'A' => "Solaris access control list",
        (byte)'X' => "Solaris extended header",
        (byte)'E' => "Solaris extended attribute",
        (byte)'M' => "GNU multivolume continuation",
        (byte)'N' => "old GNU long name list",
        (byte)'I' => "inode metadata only",
        _ => "vendor type",
    };

    private async ValueTask<(TreeEntry Entry, Stream? Data)> ReadMemberAsync(bool useAsync, byte type, string name, string? longLink, Dictionary<string, byte[]>? pax,
        List<(string Key, byte[] Value)>? sparseRecords, long headerOffset, CancellationToken cancellationToken)
    {
        CheckPath(name, "name", name, headerOffset);
        var regular = type is (byte)'0' or 0 or (byte)'7';
        var fileType = type switch
        {
            _ when regular && name.EndsWith('/') => UnixFileType.Directory,
            (byte)'0' or 0 or (byte)'7' or (byte)'1' or (byte)'S' => UnixFileType.RegularFile,
            (byte)'2' => UnixFileType.SymbolicLink,
            (byte)'3' => UnixFileType.CharacterDevice,
            (byte)'4' => UnixFileType.BlockDevice,
            (byte)'5' or (byte)'D' => UnixFileType.Directory,
            (byte)'6' => UnixFileType.Fifo,
            _ => throw Invalid(name, headerOffset, $"has the unsupported type '{DisplayText.Escape(((char)type).ToString())}'"),
        };
        var isHardLink = type == (byte)'1';
        var isDevice = fileType is UnixFileType.CharacterDevice or UnixFileType.BlockDevice;
        string? link = null;
        if (isHardLink || fileType == UnixFileType.SymbolicLink)
        {
            link = longLink ?? Text(pax, "linkpath") ?? CString(_block.AsSpan(157, 100));
            var what = isHardLink ? "hard-link target" : "symbolic-link target";
            if (link.Length == 0)
            {
                throw Invalid(name, headerOffset, $"is a {(isHardLink ? "hard link" : "symbolic link")} with an empty target");
            }

            CheckPath(link, what, name, headerOffset);
        }

        var size = PaxNumber(pax, "size", long.MaxValue, name, headerOffset) ?? HeaderNumber(124, 12, "size", 0, long.MaxValue, headerOffset, name);
        var mode = HeaderNumber(100, 8, "mode", 0, long.MaxValue, headerOffset, name);
        var uid = PaxNumber(pax, "uid", uint.MaxValue, name, headerOffset) ?? HeaderNumber(108, 8, "uid", 0, uint.MaxValue, headerOffset, name);
        var gid = PaxNumber(pax, "gid", uint.MaxValue, name, headerOffset) ?? HeaderNumber(116, 8, "gid", 0, uint.MaxValue, headerOffset, name);
        var mtime = PaxTime(pax, "mtime", name, headerOffset)
            ?? DateTimeOffset.FromUnixTimeSeconds(HeaderNumber(136, 12, "mtime", s_minSeconds, s_maxSeconds, headerOffset, name));
        _ = PaxTime(pax, "atime", name, headerOffset);
        _ = PaxTime(pax, "ctime", name, headerOffset);
        long major = 0, minor = 0;
        if (isDevice)
        {
            major = PaxNumber(pax, "SCHILY.devmajor", uint.MaxValue, name, headerOffset) ?? HeaderNumber(329, 8, "devmajor", 0, uint.MaxValue, headerOffset, name);
            minor = PaxNumber(pax, "SCHILY.devminor", uint.MaxValue, name, headerOffset) ?? HeaderNumber(337, 8, "devminor", 0, uint.MaxValue, headerOffset, name);
        }

        var xattrs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in pax ?? [])
        {
            if (key.StartsWith(XattrPrefix, StringComparison.Ordinal))
            {
                var attribute = key[XattrPrefix.Length..];
                if (attribute.Length == 0 || attribute.Contains('\0', StringComparison.Ordinal))
                {
                    throw Invalid(name, headerOffset, $"has an extended attribute record '{DisplayText.Escape(key)}' whose attribute name {(attribute.Length == 0 ? "is empty" : "holds a NUL byte")}");
                }

                xattrs[attribute] = value;
            }
        }

        // A sparse member's map is read now: old GNU's from the header and the extension blocks after it (whose
        // reading reuses the header buffer, so it comes after every header field), PAX 1.0's from the data.
        var sparse = type == (byte)'S'
            ? await ReadOldGnuSparseAsync(useAsync, name, headerOffset, cancellationToken).ConfigureAwait(false)
            : PaxSparse(pax, sparseRecords, name, headerOffset);
        if (sparse is { Version: "1.0" })
        {
            sparse = await ReadSparseMapFromDataAsync(useAsync, sparse, name, size, headerOffset, cancellationToken).ConfigureAwait(false);
        }

        if (sparse is not null && (fileType != UnixFileType.RegularFile || isHardLink))
        {
            throw Invalid(name, headerOffset, $"has GNU sparse records but is a {fileType}, not a regular file");
        }

        var stored = size - (sparse?.MapBytes ?? 0);
        sparse?.Validate(name, headerOffset, stored);
        var length = sparse?.RealSize ?? size;
        var entry = new TreeEntry
        {
            Name = Normalize(name),
            Type = fileType,
            Mode = (UnixFileMode)(mode & 0xFFF),
            Uid = (uint)uid,
            Gid = (uint)gid,
            ModificationTime = mtime,
            Length = fileType == UnixFileType.RegularFile && !isHardLink ? length : 0,
            LinkTarget = fileType == UnixFileType.SymbolicLink ? link : null,
            HardLinkTarget = isHardLink ? Normalize(link!) : null,
            DeviceMajor = (uint)major,
            DeviceMinor = (uint)minor,
            ExtendedAttributes = xattrs,
        };

        // Whatever data a header announces is skipped before the next one, read or not.
        _dataName = $" inside the data of '{DisplayText.Escape(entry.Name)}'";
        _pendingData = stored;
        _pendingPadding = Padding(size);
        if (entry.Length == 0)
        {
            return (entry, null);
        }

        var window = new TarDataWindow(this, stored);
        return (entry, sparse is null ? window : new SparseDataStream(window, sparse.Segments, sparse.RealSize));
    }

    /// <summary>Old GNU sparse (type S): four map entries in the header, 21 in each extension block that follows.</summary>
    private async ValueTask<SparseInfo> ReadOldGnuSparseAsync(bool useAsync, string name, long headerOffset, CancellationToken cancellationToken)
    {
        var sparse = new SparseInfo("old GNU", HeaderNumber(483, 12, "sparse real size", 0, long.MaxValue, headerOffset, name));
        var more = AddOldGnuEntries(sparse, _block.AsSpan(386, 4 * 24), name, headerOffset) && _block[482] != 0;
        var extension = new byte[BlockSize];
        while (more)
        {
            var at = _offset;
            await ReadExactlyAsync(useAsync, extension, at, cancellationToken).ConfigureAwait(false);
            more = AddOldGnuEntries(sparse, extension.AsSpan(0, 21 * 24), name, at) && extension[504] != 0;
        }

        return sparse;
    }

    /// <summary>Adds (offset, numbytes) pairs of 12 octal bytes each; an entry whose numbytes is empty ends the map.</summary>
    private static bool AddOldGnuEntries(SparseInfo sparse, ReadOnlySpan<byte> entries, string name, long headerOffset)
    {
        for (var i = 0; i + 24 <= entries.Length; i += 24)
        {
            if (entries[i + 12] == 0)
            {
                return false;
            }

            var offset = SparseField(entries.Slice(i, 12), "offset", name, headerOffset);
            var length = SparseField(entries.Slice(i + 12, 12), "length", name, headerOffset);
            sparse.Add(offset, length, name, headerOffset);
        }

        return true;
    }

    private static long SparseField(ReadOnlySpan<byte> field, string what, string name, long headerOffset)
    {
        var error = TryParseNumber(field, out var value);
        if (error is null && value < 0)
        {
            error = $"holds {value}, which is negative";
        }

        return error is null ? value : throw Invalid(name, headerOffset, $"has a bad GNU sparse map: a segment {what} that {error}");
    }

    /// <summary>PAX sparse formats: 0.0 (repeated offset/numbytes), 0.1 (GNU.sparse.map), 1.0 (the map is in the data).</summary>
    private static SparseInfo? PaxSparse(Dictionary<string, byte[]>? pax, List<(string Key, byte[] Value)>? records, string name, long headerOffset)
    {
        if (pax is null)
        {
            return null;
        }

        if (pax.ContainsKey("GNU.sparse.major") || pax.ContainsKey("GNU.sparse.minor"))
        {
            var major = PaxNumber(pax, "GNU.sparse.major", long.MaxValue, name, headerOffset);
            var minor = PaxNumber(pax, "GNU.sparse.minor", long.MaxValue, name, headerOffset);
            if (major != 1 || minor != 0)
            {
                throw Invalid(name, headerOffset, $"is a GNU sparse file of format {major?.ToString(CultureInfo.InvariantCulture) ?? "?"}.{minor?.ToString(CultureInfo.InvariantCulture) ?? "?"}, which is not known (0.0, 0.1 and 1.0 are)");
            }

            var realSize = PaxNumber(pax, "GNU.sparse.realsize", long.MaxValue, name, headerOffset)
                ?? throw Invalid(name, headerOffset, "is a GNU sparse file of format 1.0 without its GNU.sparse.realsize record");
            return new SparseInfo("1.0", realSize);
        }

        var hasMap = pax.ContainsKey("GNU.sparse.map");
        var pairs = records?.Where(static r => r.Key is "GNU.sparse.offset" or "GNU.sparse.numbytes").ToList() ?? [];
        if (!hasMap && pairs.Count == 0 && !pax.ContainsKey("GNU.sparse.numblocks") && !pax.ContainsKey("GNU.sparse.size"))
        {
            return null;
        }

        var version = hasMap ? "0.1" : "0.0";
        var real = PaxNumber(pax, "GNU.sparse.size", long.MaxValue, name, headerOffset)
            ?? throw Invalid(name, headerOffset, $"is a GNU sparse file of format {version} without its GNU.sparse.size record");
        var blocks = PaxNumber(pax, "GNU.sparse.numblocks", MaxSparseSegments, name, headerOffset);
        var sparse = new SparseInfo(version, real);
        if (hasMap)
        {
            var map = pax["GNU.sparse.map"];
            var numbers = map.Length == 0 ? [] : Encoding.ASCII.GetString(map).Split(',');
            if (numbers.Length % 2 != 0)
            {
                throw Invalid(name, headerOffset, $"has a bad GNU sparse map: GNU.sparse.map holds {numbers.Length} numbers, not pairs");
            }

            for (var i = 0; i < numbers.Length; i += 2)
            {
                sparse.Add(MapNumber(numbers[i], name, headerOffset), MapNumber(numbers[i + 1], name, headerOffset), name, headerOffset);
            }
        }
        else
        {
            // GNU tar's 0.0 reading: an offset starts a segment, the numbytes after it completes it.
            long? pending = null;
            foreach (var (key, value) in pairs)
            {
                var number = MapNumber(Encoding.ASCII.GetString(value), name, headerOffset);
                if (key == "GNU.sparse.offset")
                {
                    if (pending is not null)
                    {
                        throw Invalid(name, headerOffset, "has a bad GNU sparse map: two GNU.sparse.offset records without a GNU.sparse.numbytes between them");
                    }

                    pending = number;
                }
                else
                {
                    sparse.Add(pending ?? throw Invalid(name, headerOffset, "has a bad GNU sparse map: a GNU.sparse.numbytes record without its GNU.sparse.offset"),
                        number, name, headerOffset);
                    pending = null;
                }
            }

            if (pending is not null)
            {
                throw Invalid(name, headerOffset, "has a bad GNU sparse map: the last GNU.sparse.offset record has no GNU.sparse.numbytes");
            }
        }

        if (blocks is { } count && count != sparse.Segments.Count)
        {
            throw Invalid(name, headerOffset, $"has a bad GNU sparse map: GNU.sparse.numblocks says {count} segments but the map has {sparse.Segments.Count}");
        }

        return sparse;
    }

    private static long MapNumber(string text, string name, long headerOffset)
    {
        if (text.Length == 0 || text.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            throw Invalid(name, headerOffset, $"has a bad GNU sparse map: '{Show(text)}' is not a decimal number");
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(name, headerOffset, $"has a bad GNU sparse map: {Show(text)} overflows 64 bits");
    }

    /// <summary>PAX 1.0: decimal numbers, one a line (count, then offset and length pairs), padded to a block, at the start of the data.</summary>
    private async ValueTask<SparseInfo> ReadSparseMapFromDataAsync(bool useAsync, SparseInfo sparse, string name, long size, long headerOffset, CancellationToken cancellationToken)
    {
        var block = new byte[BlockSize];
        long? count = null, offset = null;
        long number = 0;
        var digits = 0;
        long mapBytes = 0;
        while (count is null || sparse.Segments.Count < count)
        {
            if (mapBytes + BlockSize > size)
            {
                throw Invalid(name, headerOffset, $"has a bad GNU sparse map: the map at the start of the data runs past its {size} bytes");
            }

            await ReadExactlyAsync(useAsync, block, _offset, cancellationToken).ConfigureAwait(false);
            mapBytes += BlockSize;
            foreach (var b in block)
            {
                if (count is not null && sparse.Segments.Count == count)
                {
                    break;
                }

                if (b is >= (byte)'0' and <= (byte)'9')
                {
                    if (++digits > 19 || number > (long.MaxValue - (b - '0')) / 10)
                    {
                        throw Invalid(name, headerOffset, "has a bad GNU sparse map: a number in the map overflows 64 bits");
                    }

                    number = (number * 10) + (b - '0');
                    continue;
                }

                if (b != (byte)'\n' || digits == 0)
                {
                    throw Invalid(name, headerOffset, $"has a bad GNU sparse map: the map at the start of the data holds {(b == '\n' ? "an empty line" : $"the byte {b}")} where a number should be");
                }

                if (count is null)
                {
                    count = number <= MaxSparseSegments ? number
                        : throw Invalid(name, headerOffset, $"has a bad GNU sparse map: {number} segments, more than the {MaxSparseSegments} allowed");
                }
                else if (offset is null)
                {
                    offset = number;
                }
                else
                {
                    sparse.Add(offset.Value, number, name, headerOffset);
                    offset = null;
                }

                number = 0;
                digits = 0;
            }
        }

        return sparse with { MapBytes = mapBytes };
    }

    private static InvalidDataException Invalid(string member, long headerOffset, string problem)
        => new($"The tar member '{DisplayText.Escape(member)}' (header at offset {headerOffset}) {problem}.");

    /// <summary>Shows at most 80 characters of an untrusted value, escaped.</summary>
    private static string Show(string value) => DisplayText.Escape(value.Length <= 80 ? value : value[..77] + "...");

    private static void CheckPath(string path, string what, string member, long headerOffset)
    {
        if (path.Length == 0)
        {
            throw new InvalidDataException($"The tar member at offset {headerOffset} has an empty name.");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(member, headerOffset, $"has a {what} that holds a NUL byte");
        }

        var length = UnixNameEncoding.GetByteCount(path);
        if (length > MaxPathLength)
        {
            throw Invalid(member.Length <= 200 ? member : member[..197] + "...", headerOffset,
                $"has a {what} of {length} bytes; the limit is {MaxPathLength} (PATH_MAX)");
        }
    }

    private static string Normalize(string name)
    {
        var trimmed = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
        trimmed = trimmed.TrimEnd('/');
        return trimmed.Length == 0 || trimmed == "." ? "." : trimmed;
    }

    private static int Padding(long length) => (int)((BlockSize - (length % BlockSize)) % BlockSize);

    /// <summary>A PAX name record (<c>path</c>, <c>linkpath</c>, <c>GNU.sparse.name</c>): UTF-8 by POSIX, raw bytes as GNU tar writes undecodable names.</summary>
    private static string? Text(Dictionary<string, byte[]>? pax, string key)
        => pax?.GetValueOrDefault(key) is { } value ? UnixNameEncoding.GetString(value) : null;

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return UnixNameEncoding.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>The ustar name, with the POSIX prefix field only when the magic is POSIX's (GNU's keeps times there).</summary>
    private string CombinePrefix()
    {
        var name = CString(_block.AsSpan(0, 100));
        var prefix = TarMagic.IsPosix(_block) ? CString(_block.AsSpan(345, 155)) : string.Empty;
        return prefix.Length > 0 ? prefix + "/" + name : name;
    }

    /// <summary>
    /// Parses <c>"%d %s=%s\n"</c> records into <paramref name="records"/> (later ones winning) and the repeated
    /// <c>GNU.sparse.offset</c>/<c>numbytes</c> of sparse format 0.0 into <paramref name="ordered"/>, in order;
    /// returns what is wrong, or <see langword="null"/>. The last record may lack its newline, and NULs after it are
    /// padding, as libarchive reads them.
    /// </summary>
    private static string? ParseRecords(byte[] data, Dictionary<string, byte[]> records, List<(string Key, byte[] Value)> ordered)
    {
        var position = 0;
        while (position < data.Length)
        {
            var rest = data.AsSpan(position);
            if (!rest.ContainsAnyExcept((byte)0))
            {
                break;
            }

            var space = rest[..Math.Min(rest.Length, 40)].IndexOf((byte)' ');
            if (space <= 0 || rest[..space].ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            {
                return $"has a record at byte {position} that does not start with its length in decimal digits and a space";
            }

            if (!long.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > rest.Length)
            {
                return $"has a record at byte {position} whose length {Encoding.ASCII.GetString(rest[..space])} goes past the end of the header ({rest.Length} bytes left)";
            }

            if (length < space + 3)
            {
                return $"has a record at byte {position} whose length {length} is too short for a record";
            }

            var record = rest[..(int)length];
            var last = !rest[(int)length..].ContainsAnyExcept((byte)0);
            if (record[^1] == (byte)'\n' && length >= space + 4)
            {
                record = record[(space + 1)..^1];
            }
            else if (last)
            {
                record = record[(space + 1)..];
            }
            else
            {
                return $"has a record at byte {position} that does not end with a newline";
            }

            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                return $"has a record at byte {position} without a keyword and '='";
            }

            var key = Encoding.UTF8.GetString(record[..equals]);
            var value = record[(equals + 1)..].ToArray();
            records[key] = value;
            if (key is "GNU.sparse.offset" or "GNU.sparse.numbytes")
            {
                if (ordered.Count >= 2 * MaxSparseSegments)
                {
                    return $"has more than {MaxSparseSegments} GNU sparse segments";
                }

                ordered.Add((key, value));
            }

            position += (int)length;
        }

        return null;
    }

    /// <summary>A PAX decimal number in [0, <paramref name="max"/>]; <see langword="null"/> when the record is absent.</summary>
    private static long? PaxNumber(Dictionary<string, byte[]>? pax, string key, long max, string member, long headerOffset)
    {
        if (pax?.GetValueOrDefault(key) is not { } raw)
        {
            return null;
        }

        if (raw.Length == 0 || raw.AsSpan().ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            throw Invalid(member, headerOffset, $"has a PAX {key} of '{Show(Encoding.UTF8.GetString(raw))}', which is not a decimal number");
        }

        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
        {
            throw Invalid(member, headerOffset, $"has a PAX {key} of {Show(Encoding.ASCII.GetString(raw))}, out of range (0 to {max})");
        }

        return value;
    }

    /// <summary>A PAX time, <c>[-]seconds[.fraction]</c>; <see langword="null"/> when the record is absent.</summary>
    private static DateTimeOffset? PaxTime(Dictionary<string, byte[]>? pax, string key, string member, long headerOffset)
    {
        if (pax?.GetValueOrDefault(key) is not { } raw)
        {
            return null;
        }

        var text = raw.AsSpan();
        var negative = text.StartsWith("-"u8);
        var digits = negative ? text[1..] : text;
        var dot = digits.IndexOf((byte)'.');
        var whole = dot < 0 ? digits : digits[..dot];
        var fraction = dot < 0 ? ReadOnlySpan<byte>.Empty : digits[(dot + 1)..];
        if (whole.IsEmpty || whole.ContainsAnyExceptInRange((byte)'0', (byte)'9') || fraction.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            || (dot >= 0 && fraction.IsEmpty))
        {
            throw Invalid(member, headerOffset, $"has a PAX {key} of '{Show(Encoding.UTF8.GetString(raw))}', which is not a number of seconds");
        }

        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
        }

        if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (negative ? -seconds < s_minSeconds || (-seconds == s_minSeconds && ticks > 0) : seconds > s_maxSeconds))
        {
            throw Invalid(member, headerOffset, $"has a PAX {key} of {Show(Encoding.ASCII.GetString(raw))} seconds, out of range (years 1 to 9999)");
        }

        var offset = (seconds * TimeSpan.TicksPerSecond) + ticks;
        return DateTimeOffset.UnixEpoch.AddTicks(negative ? -offset : offset);
    }

    /// <summary>A header field in octal or GNU base-256, in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private long HeaderNumber(int start, int length, string field, long min, long max, long headerOffset, string? member, string what = "member")
    {
        var bytes = _block.AsSpan(start, length);
        var error = TryParseNumber(bytes, out var value);
        if (error is null && (value < min || value > max))
        {
            error = $"holds {value}, out of range ({min} to {max})";
        }

        if (error is null)
        {
            return value;
        }

        var problem = $"has a {field} field that {error}";
        throw member is null
            ? new InvalidDataException($"The tar {what} at offset {headerOffset} {problem}.")
            : Invalid(member, headerOffset, problem);
    }

    /// <summary>Octal digits between optional spaces and NULs, or base-256 (GNU): returns what is wrong, or <see langword="null"/>.</summary>
    private static string? TryParseNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if ((field[0] & 0x80) != 0)
        {
            // Big-endian two's complement after the marker bit; bit 0x40 of the first byte is the sign.
            value = (field[0] & 0x3F) - (field[0] & 0x40);
            foreach (var b in field[1..])
            {
                if (value > long.MaxValue >> 8 || value < long.MinValue >> 8)
                {
                    return "overflows 64 bits (base-256)";
                }

                value = (value * 256) + b;
            }

            return null;
        }

        var text = field.TrimStart((byte)' ');
        var end = text.IndexOfAnyExceptInRange((byte)'0', (byte)'7');
        var digits = end < 0 ? text : text[..end];
        if (end >= 0 && text[end..].ContainsAnyExcept((byte)' ', (byte)0))
        {
            return $"is '{DisplayText.Escape(Encoding.Latin1.GetString(field).TrimEnd('\0'))}', not an octal number";
        }

        foreach (var digit in digits)
        {
            if (value > long.MaxValue >> 3)
            {
                return "overflows 64 bits";
            }

            value = (value << 3) | (long)(digit - '0');
        }

        return null;
    }

    private void VerifyChecksum(long offset)
    {
        if (!ChecksumMatches(_block))
        {
            throw new InvalidDataException($"The tar header at offset {offset} has a bad checksum (stored '{DisplayText.Escape(Encoding.Latin1.GetString(_block, 148, 8).TrimEnd('\0', ' '))}', computed {Sum(_block, signed: false)}); this is not a tar archive or it is corrupt.");
        }
    }

    /// <summary>
    /// Whether the checksum field (octal digits, then NUL, space or both, as tars write it) holds the sum of the
    /// header's bytes with the field as spaces: unsigned as POSIX says, or signed as some old tars computed it.
    /// </summary>
    private static bool ChecksumMatches(ReadOnlySpan<byte> header)
    {
        var field = header.Slice(148, 8);
        var digits = field.TrimStart((byte)' ');
        if (digits.IsEmpty || digits[0] is < (byte)'0' or > (byte)'7')
        {
            return false;
        }

        if (TryParseNumber(field, out var stored) is not null)
        {
            return false;
        }

        return stored == Sum(header, signed: false) || stored == Sum(header, signed: true);
    }

    private static long Sum(ReadOnlySpan<byte> header, bool signed)
    {
        long sum = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : signed ? (sbyte)header[i] : header[i];
        }

        return sum;
    }

    private async ValueTask<bool> ReadBlockAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var read = useAsync
            ? await _stream.ReadAtLeastAsync(_block, BlockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)
            : _stream.ReadAtLeast(_block, BlockSize, throwOnEndOfStream: false);
        _offset += read;
        if (read == 0)
        {
            return false;
        }

        if (read < BlockSize)
        {
            throw new InvalidDataException($"The tar archive is truncated at offset {_offset}: a header is cut short.");
        }

        return true;
    }

    private async ValueTask ReadExactlyAsync(bool useAsync, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        var read = useAsync
            ? await _stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)
            : _stream.ReadAtLeast(buffer.Span, buffer.Length, throwOnEndOfStream: false);
        _offset += read;
        if (read < buffer.Length)
        {
            throw new InvalidDataException($"The tar archive is truncated: the record at offset {offset} is cut short.");
        }
    }

    private async ValueTask SkipAsync(bool useAsync, long count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count > 0)
            {
                var chunk = buffer.AsMemory(0, (int)Math.Min(buffer.Length, count));
                var read = useAsync ? await _stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false) : _stream.Read(chunk.Span);
                if (read == 0)
                {
                    throw new InvalidDataException($"The tar archive is truncated at offset {_offset}{_dataName}.");
                }

                _offset += read;
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A sparse member's map as read, checked segment by segment as it grows.</summary>
    private sealed record SparseInfo(string Version, long RealSize)
    {
        public List<SparseSegment> Segments { get; init; } = [];

        /// <summary>Gets the bytes of map at the start of the data (format 1.0), which are not file data.</summary>
        public long MapBytes { get; init; }

        public void Add(long offset, long length, string name, long headerOffset)
        {
            var index = Segments.Count;
            if (index >= MaxSparseSegments)
            {
                throw Invalid(name, headerOffset, $"has a bad GNU sparse map: more than {MaxSparseSegments} segments");
            }

            if (length > long.MaxValue - offset)
            {
                throw Invalid(name, headerOffset, $"has a bad GNU sparse map: segment {index} (offset {offset}, {length} bytes) overflows 64 bits");
            }

            if (index > 0 && offset < Segments[^1].End)
            {
                throw Invalid(name, headerOffset, $"has a bad GNU sparse map: segment {index} at offset {offset} starts before the end of segment {index - 1} ({Segments[^1].End}); segments must be in order and not overlap");
            }

            if (offset + length > RealSize)
            {
                throw Invalid(name, headerOffset, $"has a bad GNU sparse map: segment {index} (offset {offset}, {length} bytes) ends past the real size {RealSize}");
            }

            Segments.Add(new SparseSegment(offset, length));
        }

        /// <summary>The segments must account for exactly the data stored.</summary>
        public void Validate(string name, long headerOffset, long stored)
        {
            long sum = 0;
            foreach (var segment in Segments)
            {
                sum += segment.Length; // no overflow: the segments are disjoint and within RealSize
            }

            if (sum != stored)
            {
                throw Invalid(name, headerOffset, $"has a bad GNU sparse map: its segments hold {sum} bytes but the member stores {stored}");
            }
        }
    }

    /// <summary>The data of the current entry; reading it moves the reader on.</summary>
    private sealed class TarDataWindow(PaxTreeReader reader, long length) : ReadOnlyStream
    {
        private readonly long _length = length;
        private long _remaining = length;

        public override long Length => _length;

        public override long Position
        {
            get => _length - _remaining;
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            if (_remaining == 0)
            {
                return 0;
            }

            var read = reader.ReadData(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
            _remaining -= read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_remaining == 0)
            {
                return 0;
            }

            var read = await reader.ReadDataAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
            _remaining -= read;
            return read;
        }
    }

    private int ReadData(Span<byte> buffer)
    {
        var read = _stream.Read(buffer);
        if (read == 0)
        {
            throw new InvalidDataException($"The tar archive is truncated at offset {_offset}{_dataName}.");
        }

        _offset += read;
        _pendingData -= read;
        return read;
    }

    private async ValueTask<int> ReadDataAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new InvalidDataException($"The tar archive is truncated at offset {_offset}{_dataName}.");
        }

        _offset += read;
        _pendingData -= read;
        return read;
    }
}
