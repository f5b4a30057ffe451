namespace Xcat.Imaging.Bundles.Manifest;

/// <summary>
/// An extra file or directory shipped in a bundle (<c>imgexport -e src:dest</c>), written to the manifest as
/// <c>&lt;extra&gt;&lt;dest/&gt;&lt;src/&gt;&lt;/extra&gt;</c> (xCAT's imgport.pm, make_bundle, imgport.pm, moveExtra).
/// </summary>
/// <param name="Source">The path the file or directory was exported from (<c>src</c>).</param>
/// <param name="Destination">The directory imgimport copies it into (<c>dest</c>).</param>
public sealed record BundleExtra(string Source, string Destination);
