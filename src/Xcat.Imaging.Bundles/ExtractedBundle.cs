namespace Xcat.Imaging.Bundles;

/// <summary>What <see cref="BundleReader.ExtractToDirectoryAsync"/> extracted.</summary>
public sealed record ExtractedBundle
{
    /// <summary>Gets the directory the bundle was extracted into.</summary>
    public required string Directory { get; init; }

    /// <summary>Gets the images, in ordinal order of their directory names.</summary>
    public required IReadOnlyList<ExtractedImage> Images { get; init; }

    /// <summary>Gets the number of members extracted.</summary>
    public long Entries { get; init; }

    /// <summary>Gets the number of data bytes extracted.</summary>
    public long Bytes { get; init; }
}
