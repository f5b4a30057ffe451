namespace Xcat.Imaging.TestKit;

/// <summary>What <see cref="TreeComparer"/> compares; everything by default.</summary>
public sealed class TreeComparisonOptions
{
    /// <summary>Gets or sets whether uid and gid are compared.</summary>
    public bool CompareOwners { get; set; } = true;

    /// <summary>Gets or sets whether permission bits (with set-user-ID, set-group-ID and sticky) are compared; never for symbolic links.</summary>
    public bool CompareModes { get; set; } = true;

    /// <summary>Gets or sets whether modification times of regular files, devices, FIFOs and sockets are compared.</summary>
    public bool CompareModificationTimes { get; set; } = true;

    /// <summary>Gets or sets whether modification times of directories are compared (with <see cref="CompareModificationTimes"/>).</summary>
    public bool CompareDirectoryModificationTimes { get; set; } = true;

    /// <summary>Gets or sets whether modification times of symbolic links are compared (with <see cref="CompareModificationTimes"/>).</summary>
    public bool CompareSymbolicLinkModificationTimes { get; set; } = true;

    /// <summary>
    /// Gets or sets the resolution times are truncated to before comparing: one tick (100 ns, exact) by default,
    /// one second for newc cpio.
    /// </summary>
    public TimeSpan ModificationTimeResolution { get; set; } = TimeSpan.FromTicks(1);

    /// <summary>Gets or sets whether hard-link groups (which names share a file within the tree) are compared.</summary>
    public bool CompareHardLinks { get; set; } = true;

    /// <summary>Gets or sets whether extended attributes are captured and compared (needs <c>getfattr</c>).</summary>
    public bool CompareExtendedAttributes { get; set; }

    /// <summary>Gets or sets whether the root directory's own metadata is compared.</summary>
    public bool CompareRoot { get; set; } = true;

    /// <summary>Gets or sets a predicate on relative paths to leave out of the comparison in both trees.</summary>
    public Func<string, bool>? Ignore { get; set; }
}
