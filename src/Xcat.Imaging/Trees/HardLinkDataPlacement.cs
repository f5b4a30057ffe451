namespace Xcat.Imaging.Trees;

/// <summary>Which member of a hard-link group carries the file's data in a walk.</summary>
public enum HardLinkDataPlacement
{
    /// <summary>
    /// The last member in stream order carries the data, the earlier ones have length 0: what GNU cpio writes for newc,
    /// so the default for cpio.
    /// </summary>
    Last,

    /// <summary>
    /// The first member carries the data; later members have length 0 and name the first one in
    /// <see cref="TreeEntry.HardLinkTarget"/>: what tar, bsdtar and the kernel's <c>gen_init_cpio</c> write.
    /// </summary>
    First,
}
