namespace Xcat.Imaging;

/// <summary>The <see cref="ImagingProgress.Stage"/> names the library reports, one per kind of long operation.</summary>
public static class ImagingStages
{
    /// <summary>Packing a tree into an archive (packimage, pack).</summary>
    public const string Pack = "pack";

    /// <summary>Extracting an archive into a tree (unpack).</summary>
    public const string Extract = "extract";

    /// <summary>Writing an image bundle (imgexport).</summary>
    public const string Export = "export";

    /// <summary>Reading and checking an image bundle into a staging directory (imgimport, first step).</summary>
    public const string Unbundle = "unbundle";

    /// <summary>Placing an imported image's files into the install directory (imgimport, second step).</summary>
    public const string Place = "place";

    /// <summary>Building an image's root, kernel and initrd (genimage); the phase is in <see cref="ImagingProgress.CurrentPath"/>.</summary>
    public const string Build = "build";
}
