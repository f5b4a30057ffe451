using Xcat.Imaging.Trees;

namespace Xcat.Imaging.Cpio;

/// <summary>
/// Reads a cpio stream as tree entries, turning cpio's hard-link key into <see cref="TreeEntry.Inode"/>: members
/// are one file when they share the file-system numbers, the inode and the file type within one archive, as the
/// kernel's <c>init/initramfs.c</c> and GNU cpio match them. The kernel forgets its links at each
/// <c>TRAILER!!!</c>, so the same key in a concatenated archive is another file.
/// </summary>
/// <remarks>
/// Every entry gets a fresh number (1, 2, ...) and members of a group share their first member's, so two files that
/// only share an inode number, on other devices or in other archives, are never merged. A group is forgotten once
/// it has as many members as its link count says, as <see cref="TreeExtractor"/> does, so memory grows with the
/// number of incomplete groups only. odc archives carry the data on every member of a group; as GNU cpio does
/// (<c>copyin.c</c>, <c>link_to_maj_min_ino</c>), later members are links to the first and their copy of the data is
/// skipped.
/// </remarks>
internal sealed class CpioTreeReader(CpioReader reader)
{
    private readonly Dictionary<LinkKey, LinkGroup> _groups = [];
    private int _archiveIndex;
    private ulong _lastInode;

    /// <summary>Returns the next entry and its data window (valid until the next call), or <see langword="null"/> at the end.</summary>
    public async ValueTask<(TreeEntry Entry, Stream? Data)?> ReadAsync(CancellationToken cancellationToken)
    {
        if (await reader.GetNextEntryAsync(cancellationToken: cancellationToken).ConfigureAwait(false) is not { } entry)
        {
            return null;
        }

        if (reader.ArchiveIndex != _archiveIndex)
        {
            _archiveIndex = reader.ArchiveIndex;
            _groups.Clear();
        }

        var (inode, laterMember) = InodeOf(entry);
        var tree = CpioTreeMapping.ToTree(entry, inode);
        if (laterMember && reader.Format == CpioFormat.Odc && tree.Length > 0)
        {
            return (tree with { Length = 0 }, null);
        }

        return (tree, entry.DataStream);
    }

    private (ulong Inode, bool LaterMember) InodeOf(CpioEntry entry)
    {
        if (entry.EntryType == CpioEntryType.Directory || entry.LinkCount < 2)
        {
            return (++_lastInode, false);
        }

        var key = new LinkKey(entry.FileSystemMajor, entry.FileSystemMinor, entry.Inode, entry.EntryType);
        if (!_groups.TryGetValue(key, out var group))
        {
            _groups[key] = new LinkGroup(++_lastInode);
            return (_lastInode, false);
        }

        if (++group.Seen >= entry.LinkCount)
        {
            _groups.Remove(key);
        }

        return (group.Inode, true);
    }

    private readonly record struct LinkKey(uint Major, uint Minor, uint Inode, CpioEntryType Type);

    private sealed class LinkGroup(ulong inode)
    {
        public ulong Inode { get; } = inode;

        public long Seen { get; set; } = 1;
    }
}
