namespace Xcat.Imaging.Bundles;

/// <summary>What <see cref="ImageImporter"/> imported.</summary>
public sealed record ImageImportResult
{
    /// <summary>Gets the images, in the bundle's (ordinal) order.</summary>
    public required IReadOnlyList<ImportedImage> Images { get; init; }

    /// <summary>Gets the messages xCAT's imgimport prints (moves to <c>.ORIG</c>, skipped nodes, success lines).</summary>
    public required IReadOnlyList<string> Messages { get; init; }
}
