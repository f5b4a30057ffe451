namespace Xcat.Imaging.Packing;

/// <summary>What <see cref="RamdiskPacker"/> wrote.</summary>
public sealed record RamdiskPackResult
{
    /// <summary>Gets the archive file, when packing to a file.</summary>
    public string? ArchivePath { get; init; }

    /// <summary>Gets the checksum file beside the archive, when one was written.</summary>
    public string? ChecksumPath { get; init; }

    /// <summary>Gets the SHA-256 of the compressed archive, lower-case hex, when packing to a file.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Gets the number of archive entries written.</summary>
    public long Entries { get; init; }

    /// <summary>Gets the number of entries the exclusion list left out.</summary>
    public long ExcludedEntries { get; init; }

    /// <summary>Gets the bytes of file content archived.</summary>
    public long ContentBytes { get; init; }

    /// <summary>Gets the size of the uncompressed archive.</summary>
    public long ArchiveBytes { get; init; }

    /// <summary>Gets the size of the compressed output.</summary>
    public long CompressedBytes { get; init; }

    /// <summary>
    /// Gets the number of entries whose extended attributes (file capabilities such as <c>security.capability</c>, ACLs,
    /// <c>user.*</c>) a cpio archive could not hold and left out; <c>-m tar</c> keeps them. SELinux labels are not
    /// counted: a ramdisk is relabelled at boot. Always 0 for tar.
    /// </summary>
    public long EntriesWithDroppedExtendedAttributes { get; init; }

    /// <summary>Gets the older <c>rootimg.*</c> archives removed after the new one was complete.</summary>
    public IReadOnlyList<string> RemovedArchives { get; init; } = [];
}
