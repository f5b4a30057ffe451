using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles;

/// <summary>One image that <see cref="ImageImporter"/> imported.</summary>
public sealed record ImportedImage
{
    /// <summary>Gets the definition as stored in the catalog (renamed by <c>-f</c>, paths relocated).</summary>
    public required ImageDefinition Definition { get; init; }

    /// <summary>Gets the files and directories placed, as full paths.</summary>
    public required IReadOnlyList<string> PlacedPaths { get; init; }

    /// <summary>Gets the existing files that were renamed to <c>&lt;name&gt;.ORIG</c> first (xCAT's imgport.pm, make_files).</summary>
    public required IReadOnlyList<string> BackedUpPaths { get; init; }

    /// <summary>Gets the nodes whose postscripts were set (<c>-p</c>).</summary>
    public IReadOnlyList<string> PostScriptNodes { get; init; } = [];

    /// <summary>Gets whether the bundle's <c>SHA256SUMS</c> verified every file of the image (xCAT bundles have none).</summary>
    public bool Verified { get; init; }
}
