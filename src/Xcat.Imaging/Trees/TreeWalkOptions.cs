namespace Xcat.Imaging.Trees;

/// <summary>Options for <see cref="TreeWalker.Walk"/>.</summary>
public sealed class TreeWalkOptions
{
    private HardLinkDataPlacement _hardLinkData = HardLinkDataPlacement.Last;

    /// <summary>
    /// Gets or sets whether the walk stays on the root's file system, like <c>find -xdev</c>: a directory on another
    /// file system (a mount point) is listed itself, but not entered.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool StayOnFileSystem { get; set; }

    /// <summary>Gets or sets whether the root directory itself is an entry, named <c>.</c> (as <c>find .</c> lists it).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeRoot { get; set; } = true;

    /// <summary>
    /// Gets or sets a predicate on <see cref="TreeEntry.Name"/> (<c>usr/bin/x</c>, <c>.</c> for the root) that decides
    /// which entries the walk yields. An entry left out is only that entry: the walk still enters a directory left out
    /// and yields its children, as xCAT's exclude lists drop single paths, not subtrees (System.Formats.Tar's and libarchive's behaviour).
    /// Hard-link groups and link counts cover only the entries yielded.
    /// </summary>
    /// <value>The default is <see langword="null"/>: every entry.</value>
    public Func<string, bool>? Filter { get; set; }

    /// <summary>Gets or sets whether entries carry their extended attributes (one <c>llistxattr</c> per entry).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ReadExtendedAttributes { get; set; }

    /// <summary>Gets or sets which member of a hard-link group carries the data.</summary>
    /// <value>The default is <see cref="HardLinkDataPlacement.Last"/>, as GNU cpio writes.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined placement.</exception>
    public HardLinkDataPlacement HardLinkData
    {
        get => _hardLinkData;
        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown hard-link data placement.");
            }

            _hardLinkData = value;
        }
    }
}
