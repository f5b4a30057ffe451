namespace Xcat.Imaging.Trees;

/// <summary>Options for <see cref="TreeExtractor"/>.</summary>
public sealed class TreeExtractionOptions
{
    /// <summary>
    /// Gets or sets whether an entry may replace what already exists at its name: a file, a symbolic link (removed,
    /// never followed), or an empty directory. An existing directory is always merged with a directory entry.
    /// </summary>
    /// <value>The default is <see langword="false"/>: an existing name throws an <see cref="IOException"/>.</value>
    public bool Overwrite { get; set; }

    /// <summary>
    /// Gets or sets whether owners are restored with <c>lchown</c>. A failure then throws
    /// (<see cref="UnauthorizedAccessException"/> without privilege), except that a metadata writer that cannot set
    /// owners at all (<see cref="Unix.FileSystemUnixMetadataProvider"/>) is logged once and ignored.
    /// </summary>
    /// <value>The default is <see cref="Environment.IsPrivilegedProcess"/>, as GNU tar and cpio do.</value>
    public bool PreserveOwnership { get; set; } = Environment.IsPrivilegedProcess;

    /// <summary>
    /// Gets or sets whether extended attributes of entries are written with <c>lsetxattr</c>. A failure then throws,
    /// except that a metadata writer that cannot write them at all is logged once and ignored.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ApplyExtendedAttributes { get; set; } = true;
}
