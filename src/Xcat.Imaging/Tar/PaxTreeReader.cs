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
internal sealed class PaxTreeReader(Stream stream)
{
    private const int BlockSize = 512;
    private const long MaxMetadataSize = 1 << 20;
    private readonly byte[] _block = new byte[BlockSize];
    private long _offset;
    private long _pendingData;
    private int _pendingPadding;

    /// <summary>Returns the next entry and a stream over its data (valid until the next call), or null at the end.</summary>
    public async ValueTask<(TreeEntry Entry, Stream? Data)?> ReadAsync(CancellationToken cancellationToken)
    {
        await SkipAsync(_pendingData + _pendingPadding, cancellationToken).ConfigureAwait(false);
        _pendingData = 0;
        _pendingPadding = 0;
        Dictionary<string, byte[]>? pax = null;
        string? longName = null, longLink = null;
        while (true)
        {
            var headerOffset = _offset;
            if (!await ReadBlockAsync(cancellationToken).ConfigureAwait(false) || _block.All(static b => b == 0))
            {
                return null;
            }

            VerifyChecksum(headerOffset);
            var type = _block[156];
            var size = ParseNumber(_block.AsSpan(124, 12), headerOffset, "size");
            if (type is (byte)'x' or (byte)'g' or (byte)'L' or (byte)'K')
            {
                if (size > MaxMetadataSize)
                {
                    throw new InvalidDataException($"The tar metadata record at offset {headerOffset} claims {size} bytes.");
                }

                var data = new byte[size];
                await ReadExactlyAsync(data, headerOffset, cancellationToken).ConfigureAwait(false);
                await SkipAsync(Padding(size), cancellationToken).ConfigureAwait(false);
                switch (type)
                {
                    case (byte)'x':
                        pax = ParseRecords(data, headerOffset);
                        break;
                    case (byte)'L':
                        longName = Encoding.UTF8.GetString(data).TrimEnd('\0');
                        break;
                    case (byte)'K':
                        longLink = Encoding.UTF8.GetString(data).TrimEnd('\0');
                        break;
                }

                continue;
            }

            var name = longName ?? Text(pax, "path") ?? CombinePrefix(headerOffset);
            var link = longLink ?? Text(pax, "linkpath") ?? CString(_block.AsSpan(157, 100));
            if (pax?.GetValueOrDefault("size") is { } paxSize)
            {
                size = long.Parse(Encoding.ASCII.GetString(paxSize), CultureInfo.InvariantCulture);
            }

            var fileType = type switch
            {
                (byte)'0' or 0 or (byte)'7' or (byte)'1' => UnixFileType.RegularFile,
                (byte)'2' => UnixFileType.SymbolicLink,
                (byte)'3' => UnixFileType.CharacterDevice,
                (byte)'4' => UnixFileType.BlockDevice,
                (byte)'5' => UnixFileType.Directory,
                (byte)'6' => UnixFileType.Fifo,
                _ => throw new InvalidDataException($"The tar entry '{name}' at offset {headerOffset} has the unsupported type '{(char)type}'."),
            };
            var xattrs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (key, value) in pax ?? [])
            {
                if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                {
                    xattrs[key["SCHILY.xattr.".Length..]] = value;
                }
            }

            var mtime = pax?.GetValueOrDefault("mtime") is { } paxTime
                ? (long)double.Parse(Encoding.ASCII.GetString(paxTime), CultureInfo.InvariantCulture)
                : ParseNumber(_block.AsSpan(136, 12), headerOffset, "mtime");
            var normalized = Normalize(name);
            var isHardLink = type == (byte)'1';
            var isDevice = fileType is UnixFileType.CharacterDevice or UnixFileType.BlockDevice;
            var entry = new TreeEntry
            {
                Name = normalized,
                Type = fileType,
                Mode = (UnixFileMode)(ParseNumber(_block.AsSpan(100, 8), headerOffset, "mode") & 0xFFF),
                Uid = (uint)(pax?.GetValueOrDefault("uid") is { } uid ? long.Parse(Encoding.ASCII.GetString(uid), CultureInfo.InvariantCulture) : ParseNumber(_block.AsSpan(108, 8), headerOffset, "uid")),
                Gid = (uint)(pax?.GetValueOrDefault("gid") is { } gid ? long.Parse(Encoding.ASCII.GetString(gid), CultureInfo.InvariantCulture) : ParseNumber(_block.AsSpan(116, 8), headerOffset, "gid")),
                ModificationTime = DateTimeOffset.FromUnixTimeSeconds(mtime),
                Length = fileType == UnixFileType.RegularFile && !isHardLink ? size : 0,
                LinkTarget = fileType == UnixFileType.SymbolicLink ? link : null,
                HardLinkTarget = isHardLink ? Normalize(link) : null,
                DeviceMajor = isDevice ? (uint)ParseNumber(_block.AsSpan(329, 8), headerOffset, "devmajor") : 0,
                DeviceMinor = isDevice ? (uint)ParseNumber(_block.AsSpan(337, 8), headerOffset, "devminor") : 0,
                ExtendedAttributes = xattrs,
            };
            // Whatever data a header announces is skipped before the next one, read or not.
            _pendingData = size;
            _pendingPadding = Padding(size);
            return (entry, entry.Length > 0 ? new TarDataWindow(this, entry.Length) : null);
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
        => pax?.GetValueOrDefault(key) is { } value ? Encoding.UTF8.GetString(value) : null;

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private string CombinePrefix(long offset)
    {
        var name = CString(_block.AsSpan(0, 100));
        var prefix = _block.AsSpan(257, 5).SequenceEqual("ustar"u8) ? CString(_block.AsSpan(345, 155)) : string.Empty;
        var full = prefix.Length > 0 ? prefix + "/" + name : name;
        return full.Length > 0 ? full : throw new InvalidDataException($"The tar entry at offset {offset} has no name.");
    }

    private static Dictionary<string, byte[]> ParseRecords(byte[] data, long offset)
    {
        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var position = 0;
        while (position < data.Length)
        {
            var space = Array.IndexOf(data, (byte)' ', position);
            if (space < 0 || !int.TryParse(data.AsSpan(position, space - position), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space - position || position + length > data.Length || data[position + length - 1] != '\n')
            {
                throw new InvalidDataException($"The PAX header at offset {offset} has a malformed record at byte {position}.");
            }

            var record = data.AsSpan(space + 1, position + length - space - 2);
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw new InvalidDataException($"The PAX header at offset {offset} has a record without '=' at byte {position}.");
            }

            records[Encoding.UTF8.GetString(record[..equals])] = record[(equals + 1)..].ToArray();
            position += length;
        }

        return records;
    }

    private void VerifyChecksum(long offset)
    {
        var stored = ParseNumber(_block.AsSpan(148, 8), offset, "checksum");
        long sum = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : _block[i];
        }

        if (sum != stored)
        {
            throw new InvalidDataException($"The tar header at offset {offset} has a bad checksum (stored {stored}, computed {sum}); this is not a tar archive or it is corrupt.");
        }
    }

    private static long ParseNumber(ReadOnlySpan<byte> field, long offset, string what)
    {
        if ((field[0] & 0x80) != 0)
        {
            long binary = 0;
            foreach (var b in field[1..])
            {
                binary = (binary << 8) | b;
            }

            return binary;
        }

        var text = Encoding.ASCII.GetString(field).Trim(' ', '\0');
        if (text.Length == 0)
        {
            return 0;
        }

        try
        {
            return Convert.ToInt64(text, 8);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"The tar header at offset {offset} has a non-octal {what} field '{text}'.", ex);
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
                    throw new InvalidDataException($"The tar archive is truncated at offset {_offset}.");
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
            throw new InvalidDataException($"The tar archive is truncated at offset {_offset}.");
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
            throw new InvalidDataException($"The tar archive is truncated at offset {_offset}.");
        }

        _offset += read;
        _pendingData -= read;
        return read;
    }
}
