using System.Collections.ObjectModel;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Trees;

/// <summary>
/// One member of an image tree in archive-neutral terms: what <see cref="TreeWalker"/> produces, what archive writers
/// (cpio, tar) turn into headers, what archive readers produce and <see cref="TreeExtractor"/> consumes.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Name"/> is a POSIX path relative to the tree root without a leading <c>./</c>, such as
/// <c>usr/bin/x</c>; the root directory itself is <c>.</c>. Writers that want find's <c>./usr/bin/x</c> spelling add
/// the prefix themselves.
/// </para>
/// <para>
/// Hard links are described two ways, and <see cref="TreeExtractor"/> takes either. <b>Grouped</b> (cpio): every
/// member of a group has the same non-zero <see cref="Inode"/> and a <see cref="LinkCount"/> above 1; the data may sit
/// on any one member (GNU cpio puts it on the last one in stream order, the kernel's <c>gen_init_cpio</c> and bsdtar on
/// the first) and the others have <see cref="Length"/> 0. <b>Linked</b> (tar): a member has
/// <see cref="HardLinkTarget"/> set to the name of an earlier member it is another name of.
/// </para>
/// <para>
/// Record equality compares <see cref="ExtendedAttributes"/> by reference; compare entries field by field.
/// </para>
/// </remarks>
public sealed record TreeEntry
{
    /// <summary>Gets the POSIX path relative to the tree root, <c>.</c> for the root itself.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the file type.</summary>
    public required UnixFileType Type { get; init; }

    /// <summary>Gets the permission bits, including set-user-ID, set-group-ID and sticky.</summary>
    public UnixFileMode Mode { get; init; }

    /// <summary>Gets the owner's user id.</summary>
    public uint Uid { get; init; }

    /// <summary>Gets the owner's group id.</summary>
    public uint Gid { get; init; }

    /// <summary>Gets the modification time.</summary>
    public DateTimeOffset ModificationTime { get; init; }

    /// <summary>
    /// Gets the number of data bytes this entry carries: a regular file's size, 0 for a hard-link member that does not
    /// carry the group's data, 0 for every other type (a symbolic link's target is <see cref="LinkTarget"/>).
    /// </summary>
    public long Length { get; init; }

    /// <summary>Gets the target of a symbolic link, exactly as stored; <see langword="null"/> for other types.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>Gets the major number of a character or block device; 0 for other types.</summary>
    public uint DeviceMajor { get; init; }

    /// <summary>Gets the minor number of a character or block device; 0 for other types.</summary>
    public uint DeviceMinor { get; init; }

    /// <summary>Gets the extended attributes by full name (<c>user.x</c>, <c>security.capability</c>); empty when none were read.</summary>
    public IReadOnlyDictionary<string, byte[]> ExtendedAttributes { get; init; } = ReadOnlyDictionary<string, byte[]>.Empty;

    /// <summary>
    /// Gets the inode number within the stream: unique per file, shared by the members of a hard-link group; 0 when
    /// unknown. <see cref="TreeWalker"/> renumbers 1..N per walk, and the cpio reading of <see cref="Packing.RamdiskUnpacker"/>
    /// numbers entries the same way from cpio's (device, inode) key within each archive.
    /// </summary>
    public ulong Inode { get; init; }

    /// <summary>
    /// Gets the number of names the file has within the stream (a hard-link group's size); 1 for a file without other
    /// names, 2 for every directory from <see cref="TreeWalker"/>.
    /// </summary>
    public uint LinkCount { get; init; } = 1;

    /// <summary>
    /// Gets the <see cref="Name"/> of an earlier member that this entry is another name of (tar's hard-link entries);
    /// <see langword="null"/> when the entry is not described that way.
    /// </summary>
    public string? HardLinkTarget { get; init; }

    /// <summary>Gets the host path the entry was read from, to open its data; <see langword="null"/> for entries read from an archive.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Gets whether the entry is a member of a grouped hard link (<see cref="LinkCount"/> above 1, not a directory, known <see cref="Inode"/>).</summary>
    public bool IsHardLinkGroupMember => Type != UnixFileType.Directory && LinkCount > 1 && Inode != 0;
}

