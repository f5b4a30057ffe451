using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles.Manifest;

/// <summary>
/// The contents of a bundle's <c>manifest.xml</c> as xCAT's imgexport writes it and imgimport reads it (xCAT's imgport.pm, make_bundle, imgport.pm, manifest_adapter):
/// the image definition, the paths of the files the bundle carries, extras, kits and postscripts.
/// </summary>
/// <remarks>Record equality compares list members by reference; compare serialized manifests instead.</remarks>
public sealed record BundleManifest
{
    /// <summary>Initializes a manifest for an image.</summary>
    /// <param name="image">The image definition.</param>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is <see langword="null"/>.</exception>
    public BundleManifest(ImageDefinition image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Image = image;
    }

    /// <summary>Gets the image definition: the <c>&lt;osimage&gt;</c> and <c>&lt;linuximage&gt;</c> rows.</summary>
    public ImageDefinition Image { get; init => field = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>Gets the kernel path of a netboot or statelite image (<c>&lt;kernel&gt;</c>).</summary>
    public string? Kernel { get; init; }

    /// <summary>Gets the initrd path of a netboot or statelite image (<c>&lt;ramdisk&gt;</c>).</summary>
    public string? Ramdisk { get; init; }

    /// <summary>Gets the packed root image path of a netboot image (<c>&lt;rootimg&gt;</c>).</summary>
    public string? RootImage { get; init; }

    /// <summary>Gets the destination of the statelite root tree archive, <c>&lt;rootimgdir&gt;/rootimgtree.gz</c> (<c>&lt;rootimgtree&gt;</c>).</summary>
    public string? RootImageTree { get; init; }

    /// <summary>Gets the destination of the statelite litefile table dump, <c>&lt;rootimgdir&gt;/litefile.csv</c> (<c>&lt;litefile&gt;</c>).</summary>
    public string? LiteFile { get; init; }

    /// <summary>Gets the media requirement; <c>required</c> for install images, whose OS media imgimport checks (<c>&lt;media&gt;</c>, xCAT's imgport.pm, check_media).</summary>
    public string? Media { get; init; }

    /// <summary>Gets the postscripts exported with <c>imgexport -p</c> (<c>&lt;postscripts&gt;</c>).</summary>
    public string? PostScripts { get; init; }

    /// <summary>Gets the postbootscripts exported with <c>imgexport -p</c> (<c>&lt;postbootscripts&gt;</c>).</summary>
    public string? PostBootScripts { get; init; }

    /// <summary>
    /// Gets the destination of the unpacked <c>rootimg/</c> tree shipped with the bundle (<c>&lt;unpackedrootimg&gt;</c>).
    /// This element is our extension; xCAT ignores keys it does not know.
    /// </summary>
    public string? UnpackedRootImage { get; init; }

    /// <summary>Gets the extra files and directories (repeated <c>&lt;extra&gt;</c>).</summary>
    public IReadOnlyList<BundleExtra> Extras { get; init; } = [];

    /// <summary>Gets the raw image files of s390x images (<c>&lt;rawimagefiles&gt;&lt;files/&gt;…&lt;/rawimagefiles&gt;</c>).</summary>
    public IReadOnlyList<string> RawImageFiles { get; init; } = [];

    /// <summary>Gets the <c>kit</c> table rows (repeated <c>&lt;kit&gt;</c>).</summary>
    public IReadOnlyList<ManifestRecord> Kits { get; init; } = [];

    /// <summary>Gets the <c>kitrepo</c> table rows (repeated <c>&lt;kitrepo&gt;</c>).</summary>
    public IReadOnlyList<ManifestRecord> KitRepos { get; init; } = [];

    /// <summary>Gets the <c>kitcomponent</c> table rows (repeated <c>&lt;kitcomp&gt;</c>).</summary>
    public IReadOnlyList<ManifestRecord> KitComponents { get; init; } = [];

    /// <summary>Gets the top-level elements this version does not know, written back unchanged.</summary>
    public IReadOnlyList<ManifestElement> OtherElements { get; init; } = [];
}
