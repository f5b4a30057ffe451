using Xcat.Imaging.Bundles.Manifest;

namespace Xcat.Imaging.Bundles;

/// <summary>One image directory of an extracted bundle.</summary>
public sealed record ExtractedImage
{
    /// <summary>Gets the directory name in the bundle (the image name with spaces as <c>_</c>, xCAT's imgport.pm, make_bundle step 2).</summary>
    public required string DirectoryName { get; init; }

    /// <summary>Gets the full path of the extracted directory.</summary>
    public required string Path { get; init; }

    /// <summary>Gets the parsed manifest.</summary>
    public required BundleManifest Manifest { get; init; }

    /// <summary>Gets whether the directory had a <c>SHA256SUMS</c>, and so every file under it was verified.</summary>
    public bool Verified { get; init; }

    /// <summary>
    /// Gets the regular files extracted under the directory, as POSIX paths relative to it, <c>SHA256SUMS</c> left
    /// out. Membership is answered from memory; enumerating reads the extracted directory.
    /// </summary>
    public required IReadOnlySet<string> Files { get; init; }
}
