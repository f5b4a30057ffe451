using System.Formats.Tar;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Packing;

/// <summary>Reads any ramdisk archive as tree entries: decompress by magic, then cpio or tar by magic.</summary>
internal static class RamdiskEntries
{
    public static async IAsyncEnumerable<(TreeEntry Entry, Stream? Data)> ReadAsync(Stream archive, ILogger logger,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var decompressed = await CompressionStreams.OpenDecompressorAsync(archive, leaveOpen: true, cancellationToken).ConfigureAwait(false);
        await using (decompressed.ConfigureAwait(false))
        {
            var peeked = await CompressionDetector.PeekAsync(decompressed, 512, leaveOpen: true, cancellationToken).ConfigureAwait(false);
            await using (peeked.ConfigureAwait(false))
            {
                var format = DetectFormat(peeked.Header.Span);
                if (format == ArchiveFormat.Cpio)
                {
                    var reader = new CpioReader(peeked, leaveOpen: true);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.GetNextEntryAsync(cancellationToken: cancellationToken).ConfigureAwait(false) is { } entry)
                        {
                            yield return (CpioTreeMapping.ToTree(entry), entry.DataStream);
                        }
                    }
                }
                else
                {
                    var reader = new TarReader(peeked, leaveOpen: true);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (true)
                        {
                            TarEntry? entry;
                            try
                            {
                                entry = await reader.GetNextEntryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                            }
                            catch (Exception ex) when (ex is FormatException or EndOfStreamException)
                            {
                                throw new InvalidDataException($"The tar archive is corrupt: {ex.Message}", ex);
                            }

                            if (entry is null)
                            {
                                break;
                            }

                            if (ToTree(entry, logger) is { } tree)
                            {
                                yield return (tree, entry.DataStream);
                            }
                        }
                    }
                }
            }
        }
    }

    public static ArchiveFormat DetectFormat(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 6 && (header[..6].SequenceEqual("070701"u8) || header[..6].SequenceEqual("070702"u8) || header[..6].SequenceEqual("070707"u8)))
        {
            return ArchiveFormat.Cpio;
        }

        if (header.Length >= 2 && ((header[0] == 0xC7 && header[1] == 0x71) || (header[0] == 0x71 && header[1] == 0xC7)))
        {
            return ArchiveFormat.Cpio; // old binary cpio: CpioReader names it in its error
        }

        if (header.Length >= 262 && header[257..262].SequenceEqual("ustar"u8))
        {
            return ArchiveFormat.Tar;
        }

        throw new InvalidDataException("The archive is neither cpio (070701/070702) nor tar (ustar).");
    }

    private static TreeEntry? ToTree(TarEntry entry, ILogger logger)
    {
        var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
        name = name.TrimEnd('/');
        if (name.Length == 0)
        {
            name = ".";
        }

        var xattrs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (entry is PaxTarEntry pax)
        {
            foreach (var (key, value) in pax.ExtendedAttributes)
            {
                if (!key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                {
                    continue;
                }

                // System.Formats.Tar hands PAX values over as UTF-8 strings; a binary value has lost bytes by then.
                if (value.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    Log.BinaryXattrSkipped(logger, key["SCHILY.xattr.".Length..], name);
                    continue;
                }

                xattrs[key["SCHILY.xattr.".Length..]] = Encoding.UTF8.GetBytes(value);
            }
        }

        var type = entry.EntryType switch
        {
            TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => UnixFileType.RegularFile,
            TarEntryType.Directory => UnixFileType.Directory,
            TarEntryType.SymbolicLink => UnixFileType.SymbolicLink,
            TarEntryType.CharacterDevice => UnixFileType.CharacterDevice,
            TarEntryType.BlockDevice => UnixFileType.BlockDevice,
            TarEntryType.Fifo => UnixFileType.Fifo,
            TarEntryType.HardLink => UnixFileType.RegularFile,
            _ => (UnixFileType?)null,
        };
        if (type is null)
        {
            return null;
        }

        var isHardLink = entry.EntryType == TarEntryType.HardLink;
        var linkName = entry.LinkName.StartsWith("./", StringComparison.Ordinal) ? entry.LinkName[2..] : entry.LinkName;
        return new TreeEntry
        {
            Name = name,
            Type = type.Value,
            Mode = (UnixFileMode)((int)entry.Mode & 0xFFF),
            Uid = (uint)entry.Uid,
            Gid = (uint)entry.Gid,
            ModificationTime = entry.ModificationTime,
            Length = isHardLink ? 0 : entry.Length,
            LinkTarget = type == UnixFileType.SymbolicLink ? entry.LinkName : null,
            HardLinkTarget = isHardLink ? linkName : null,
            DeviceMajor = entry is PosixTarEntry posix && type is UnixFileType.CharacterDevice or UnixFileType.BlockDevice ? (uint)posix.DeviceMajor : 0,
            DeviceMinor = entry is PosixTarEntry posix2 && type is UnixFileType.CharacterDevice or UnixFileType.BlockDevice ? (uint)posix2.DeviceMinor : 0,
            ExtendedAttributes = xattrs,
        };
    }
}
