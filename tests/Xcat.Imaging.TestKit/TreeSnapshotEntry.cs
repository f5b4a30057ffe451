using Xcat.Imaging.Unix;

namespace Xcat.Imaging.TestKit;

/// <summary>One object of a <see cref="TreeSnapshot"/>, as <c>stat</c> and friends see it.</summary>
/// <param name="Path">The POSIX path relative to the root, <c>.</c> for the root.</param>
/// <param name="Status">The <c>lstat</c> metadata from <see cref="StatOracle"/>.</param>
/// <param name="ContentHash">The SHA-256 of a regular file's data (hex), else <see langword="null"/>.</param>
/// <param name="LinkTarget">A symbolic link's target, else <see langword="null"/>.</param>
/// <param name="HardLinkGroup">
/// The other names of the same file within the tree (sorted, <c>|</c>-joined, this one included) for a non-directory
/// with more than one name in the tree, else <see langword="null"/>.
/// </param>
/// <param name="ExtendedAttributes">The attributes (name → hex value) when captured, else empty.</param>
public sealed record TreeSnapshotEntry(
    string Path,
    UnixFileStatus Status,
    string? ContentHash,
    string? LinkTarget,
    string? HardLinkGroup,
    IReadOnlyDictionary<string, string> ExtendedAttributes);
