using System.Buffers;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tar;

/// <summary>
/// Writes tree entries as a PAX tar stream the way xCAT's <c>tar --xattrs --xattrs-include='*' -T list</c> does:
/// <c>./</c>-prefixed names, directories with a trailing slash, hard links as type 1 to the first member, every xattr as
/// a raw <c>SCHILY.xattr.*</c> record, two zero blocks and padding to a 10 KiB record at the end.
/// </summary>
internal sealed class PaxTreeWriter : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private bool _finished;

    public PaxTreeWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Sockets cannot be stored in tar (GNU tar skips them too); they are counted here.</summary>
    public long SkippedSockets { get; private set; }

    public long BytesWritten { get; private set; }

    public static string ArchiveName(TreeEntry entry)
    {
        var name = entry.Name == "." ? "./" : "./" + entry.Name;
        return entry.Type == UnixFileType.Directory && !name.EndsWith('/') ? name + "/" : name;
    }

    public async Task WriteAsync(TreeEntry entry, Stream? data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ObjectDisposedException.ThrowIf(_finished, this);
        if (entry.Type == UnixFileType.Socket)
        {
            SkippedSockets++;
            return;
        }

        var isHardLink = entry.HardLinkTarget is not null;
        var typeFlag = isHardLink ? (byte)'1' : entry.Type switch
        {
            UnixFileType.RegularFile => (byte)'0',
            UnixFileType.SymbolicLink => (byte)'2',
            UnixFileType.CharacterDevice => (byte)'3',
            UnixFileType.BlockDevice => (byte)'4',
            UnixFileType.Directory => (byte)'5',
            UnixFileType.Fifo => (byte)'6',
            _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Type, "Unknown file type."),
        };
        var size = typeFlag == (byte)'0' ? entry.Length : 0;
        var header = PaxHeaderWriter.Build(new TarHeaderFields(ArchiveName(entry), typeFlag)
        {
            LinkName = isHardLink ? "./" + entry.HardLinkTarget : entry.Type == UnixFileType.SymbolicLink ? entry.LinkTarget : null,
            Size = size,
            Mode = entry.Mode,
            Uid = entry.Uid,
            Gid = entry.Gid,
            ModificationTime = entry.ModificationTime,
            DeviceMajor = entry.DeviceMajor,
            DeviceMinor = entry.DeviceMinor,
            ExtendedAttributes = entry.ExtendedAttributes,
        });
        await _stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        BytesWritten += header.Length;
        if (size == 0)
        {
            return;
        }

        if (data is null)
        {
            throw new ArgumentNullException(nameof(data), $"The entry '{DisplayText.Escape(entry.Name)}' has {size} bytes of data but no data stream.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var remaining = size;
            while (remaining > 0)
            {
                var read = await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"The file '{DisplayText.Escape(entry.Name)}' shrank while it was archived: {remaining} of {size} bytes are missing.");
                }

                await _stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }

            if (await data.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new IOException($"The file '{DisplayText.Escape(entry.Name)}' grew while it was archived beyond its {size} bytes.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var padding = PaxHeaderWriter.Padding(size);
        await _stream.WriteAsync(new byte[padding], cancellationToken).ConfigureAwait(false);
        BytesWritten += size + padding;
    }

    /// <summary>Writes the end-of-archive blocks and pads to a whole record.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        var end = 2 * PaxHeaderWriter.BlockSize;
        var total = BytesWritten + end;
        end += (int)((PaxHeaderWriter.RecordSize - (total % PaxHeaderWriter.RecordSize)) % PaxHeaderWriter.RecordSize);
        await _stream.WriteAsync(new byte[end], cancellationToken).ConfigureAwait(false);
        BytesWritten += end;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
