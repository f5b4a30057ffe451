using Xcat.Imaging.Bundles.Manifest;

namespace Xcat.Imaging.Bundles;

/// <summary>What <see cref="ImageExporter"/> exported.</summary>
public sealed record ImageExportResult
{
    /// <summary>Gets the manifest written into the bundle.</summary>
    public required BundleManifest Manifest { get; init; }

    /// <summary>Gets the bundle file, or <see langword="null"/> when it was written to a caller's stream.</summary>
    public string? BundlePath { get; init; }

    /// <summary>Gets the source files shipped, in bundle order (extras' directories not expanded).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Gets the number of bundle members.</summary>
    public long Entries { get; init; }

    /// <summary>Gets the number of source bytes archived.</summary>
    public long Bytes { get; init; }

    /// <summary>Gets the notes xCAT would echo (such as a template it found by searching).</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];
}
