namespace Xcat.Imaging.Trees;

/// <summary>What a <see cref="TreeExtractor"/> did.</summary>
public sealed record TreeExtractionResult
{
    /// <summary>Gets the number of entries handed to the extractor, skipped ones included.</summary>
    public long Entries { get; init; }

    /// <summary>Gets the number of regular files created with their own data (hard links not counted).</summary>
    public long Files { get; init; }

    /// <summary>Gets the number of directory entries, the root and existing directories included.</summary>
    public long Directories { get; init; }

    /// <summary>Gets the number of symbolic links created (hard links not counted).</summary>
    public long SymbolicLinks { get; init; }

    /// <summary>Gets the number of entries created as another name of an earlier entry.</summary>
    public long HardLinks { get; init; }

    /// <summary>Gets the number of character and block device nodes created (hard links not counted).</summary>
    public long Devices { get; init; }

    /// <summary>Gets the number of FIFOs and sockets created (hard links not counted).</summary>
    public long SpecialFiles { get; init; }

    /// <summary>
    /// Gets the number of device nodes skipped because the process lacks the privilege (or, with a metadata writer
    /// that cannot create them, FIFOs and sockets), including hard links to them. Each is logged as a warning.
    /// </summary>
    public long SkippedDevices { get; init; }

    /// <summary>
    /// Gets the number of archive members skipped because their type is not supported (tar vendor types such as
    /// Solaris ACLs), each logged as a warning; set by <see cref="Packing.RamdiskUnpacker"/>, 0 from the extractor itself.
    /// </summary>
    public long SkippedMembers { get; init; }

    /// <summary>Gets the number of data bytes written.</summary>
    public long Bytes { get; init; }
}
