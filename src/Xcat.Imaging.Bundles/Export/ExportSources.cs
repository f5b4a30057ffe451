using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>What a provisioning method's plan found for the manifest: the definition as shipped and the image's own files.</summary>
internal sealed record ExportSources(ImageDefinition Image)
{
    public string? Kernel { get; init; }

    public string? Ramdisk { get; init; }

    public string? RootImage { get; init; }

    public IReadOnlyList<string> RawFiles { get; init; } = [];

    /// <summary>The unpacked netboot tree, shipped on request.</summary>
    public string? Tree { get; init; }

    /// <summary>A statelite image's root image directory, whose <c>rootimg/</c> ships as <c>rootimgtree.gz</c>.</summary>
    public string? StateliteDirectory { get; init; }

    /// <summary>A statelite image's <c>litefile.csv</c>.</summary>
    public byte[]? LiteFileCsv { get; init; }

    /// <summary>Whether imgimport must find the OS media copied (install images).</summary>
    public bool MediaRequired { get; init; }
}
