using Xcat.Imaging.Bundles.Manifest;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>What an export ships: the image directory's name in the bundle, the manifest, the members in order, xCAT's messages and the bytes known beforehand.</summary>
internal sealed record ExportPlan(string Directory, BundleManifest Manifest, IReadOnlyList<ExportFile> Files, IReadOnlyList<string> Messages, long KnownBytes);
