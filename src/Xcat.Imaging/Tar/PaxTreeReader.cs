using System.Buffers;
using System.Globalization;
using System.Text;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tar;

/// <summary>
/// Reads ustar/PAX (and GNU long-name) tar streams as tree entries, keeping PAX values as raw bytes so that binary
/// <c>SCHILY.xattr.*</c> values such as <c>security.capability</c> survive, which System.Formats.Tar's string-typed
/// extended attributes cannot guarantee.
/// </summary>
/// <remarks>
/// Hostile input raises <see cref="InvalidDataException"/> naming the member (or, before any member, the offset):
/// numeric fields and records that are not numbers or out of range (octal, base-256 and the PAX <c>size</c>,
/// <c>uid</c>, <c>gid</c>, <c>mtime</c>, <c>atime</c>, <c>ctime</c>, <c>SCHILY.devmajor</c>/<c>devminor</c>),
/// malformed PAX records (a length that is not a number, overflows or leaves the header), names and link targets
/// that are empty, hold a NUL or exceed PATH_MAX, empty or NUL-holding attribute names, and GNU sparse members, which
/// are not supported. Metadata records are limited to 1 MiB each.
/// </remarks>
internal sealed class PaxTreeReader(Stream stream)
{
    private const int BlockSize = 512;
    private const long MaxMetadataSize = 1 << 20;

    /// <summary>PATH_MAX less the NUL that ends it: the longest name or link target the kernel takes.</summary>
    private const int MaxPathLength = 4095;

    private const string XattrPrefix = "SCHILY.xattr.";

    private static readonly long s_minSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long s_maxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private readonly byte[] _block = new byte[BlockSize];
    private long _offset;
    private long _pendingData;
    private int _pendingPadding;
    private string _dataName = string.Empty;

    /// <summary>Returns the next entry and a stream over its data (valid until the next call), or null at the end.</summary>
    public async ValueTask<(TreeEntry Entry, Stream? Data)?> ReadAsync(CancellationToken cancellationToken)
    {
        await SkipAsync(_pendingData + _pendingPadding, cancellationToken).ConfigureAwait(false);
        _pendingData = 0;
        _pendingPadding = 0;
        _dataName = string.Empty;
        Dictionary<string, byte[]>? pax = null;
        long metadataSize = 0;
        string? longName = null, longLink = null;
        string? problem = null;
        var metadataOffset = -1L;
        while (true)
        {
            var headerOffset = _offset;
            if (!await ReadBlockAsync(cancellationToken).ConfigureAwait(false) || !_block.AsSpan().ContainsAnyExcept((byte)0))
            {
                if (metadataOffset >= 0)
                {
                    throw new InvalidDataException(
                        $"The tar archive ends after the metadata record at offset {metadataOffset}, without the member it describes; the archive is truncated.");
                }

                return null;
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
                await ReadExactlyAsync(data, headerOffset, cancellationToken).ConfigureAwait(false);
                await SkipAsync(Padding(size), cancellationToken).ConfigureAwait(false);
                metadataOffset = headerOffset;
                if (problem is not null)
                {
                    continue;
                }

                switch (type)
                {
                    case (byte)'x':
                        problem = ParseRecords(data, pax ??= new Dictionary<string, byte[]>(StringComparer.Ordinal));
                        break;
                    case (byte)'L':
                        longName = UnixNameEncoding.GetString(data).TrimEnd('\0');
                        break;
                    case (byte)'K':
                        longLink = UnixNameEncoding.GetString(data).TrimEnd('\0');
                        break;
                }

                if (problem is not null)
                {
                    problem = $"its {kind} at offset {headerOffset} {problem}";
                }

                continue;
            }

            var name = longName ?? Text(pax, "path") ?? CombinePrefix();
            if (problem is not null)
            {
                throw Invalid(name, headerOffset, problem);
            }

            return ReadMember(type, name, longLink, pax, headerOffset);
        }
    }

    private (TreeEntry Entry, Stream? Data) ReadMember(byte type, string name, string? longLink, Dictionary<string, byte[]>? pax, long headerOffset)
    {
        CheckPath(name, "name", name, headerOffset);
        if (pax is not null && pax.Keys.FirstOrDefault(static key => key.StartsWith("GNU.sparse.", StringComparison.Ordinal)) is { } sparse)
        {
            var realName = Text(pax, "GNU.sparse.name") is { Length: > 0 } sparseName ? sparseName : name;
            throw Invalid(realName, headerOffset, $"is a GNU sparse file (PAX record {sparse}), which is not supported; unpack it with GNU tar");
        }

        var fileType = type switch
        {
            (byte)'0' or 0 or (byte)'7' or (byte)'1' => UnixFileType.RegularFile,
            (byte)'2' => UnixFileType.SymbolicLink,
            (byte)'3' => UnixFileType.CharacterDevice,
            (byte)'4' => UnixFileType.BlockDevice,
            (byte)'5' => UnixFileType.Directory,
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

        var entry = new TreeEntry
        {
            Name = Normalize(name),
            Type = fileType,
            Mode = (UnixFileMode)(mode & 0xFFF),
            Uid = (uint)uid,
            Gid = (uint)gid,
            ModificationTime = mtime,
            Length = fileType == UnixFileType.RegularFile && !isHardLink ? size : 0,
            LinkTarget = fileType == UnixFileType.SymbolicLink ? link : null,
            HardLinkTarget = isHardLink ? Normalize(link!) : null,
            DeviceMajor = (uint)major,
            DeviceMinor = (uint)minor,
            ExtendedAttributes = xattrs,
        };

        // Whatever data a header announces is skipped before the next one, read or not.
        _dataName = $" inside the data of '{DisplayText.Escape(entry.Name)}'";
        _pendingData = size;
        _pendingPadding = Padding(size);
        return (entry, entry.Length > 0 ? new TarDataWindow(this, entry.Length) : null);
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
        var prefix = _block.AsSpan(257, 6).SequenceEqual("ustar\0"u8) ? CString(_block.AsSpan(345, 155)) : string.Empty;
        return prefix.Length > 0 ? prefix + "/" + name : name;
    }

    /// <summary>Parses <c>"%d %s=%s\n"</c> records into <paramref name="records"/>; returns what is wrong, or <see langword="null"/>.</summary>
    private static string? ParseRecords(byte[] data, Dictionary<string, byte[]> records)
    {
        var position = 0;
        while (position < data.Length)
        {
            var rest = data.AsSpan(position);
            var space = rest[..Math.Min(rest.Length, 40)].IndexOf((byte)' ');
            if (space <= 0 || rest[..space].ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            {
                return $"has a record at byte {position} that does not start with its length in decimal digits and a space";
            }

            if (!long.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > rest.Length)
            {
                return $"has a record at byte {position} whose length {Encoding.ASCII.GetString(rest[..space])} goes past the end of the header ({rest.Length} bytes left)";
            }

            if (length < space + 4)
            {
                return $"has a record at byte {position} whose length {length} is too short for a record";
            }

            var record = rest[..(int)length];
            if (record[^1] != (byte)'\n')
            {
                return $"has a record at byte {position} that does not end with a newline";
            }

            record = record[(space + 1)..^1];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                return $"has a record at byte {position} without a keyword and '='";
            }

            records[Encoding.UTF8.GetString(record[..equals])] = record[(equals + 1)..].ToArray();
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
        var stored = TryParseNumber(_block.AsSpan(148, 8), out var value) is null ? value : -1;
        long sum = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : _block[i];
        }

        if (sum != stored)
        {
            throw new InvalidDataException($"The tar header at offset {offset} has a bad checksum (stored '{DisplayText.Escape(Encoding.Latin1.GetString(_block, 148, 8).TrimEnd('\0', ' '))}', computed {sum}); this is not a tar archive or it is corrupt.");
        }
    }

    private async ValueTask<bool> ReadBlockAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(_block, BlockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
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

    private async ValueTask ReadExactlyAsync(Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        _offset += read;
        if (read < buffer.Length)
        {
            throw new InvalidDataException($"The tar archive is truncated: the record at offset {offset} is cut short.");
        }
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
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
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
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

    /// <summary>The data of the current entry; reading it moves the reader on.</summary>
    private sealed class TarDataWindow(PaxTreeReader reader, long length) : Stream
    {
        private readonly long _length = length;
        private long _remaining = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _length - _remaining;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private int ReadData(Span<byte> buffer)
    {
        var read = stream.Read(buffer);
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
        var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new InvalidDataException($"The tar archive is truncated at offset {_offset}{_dataName}.");
        }

        _offset += read;
        _pendingData -= read;
        return read;
    }
}
