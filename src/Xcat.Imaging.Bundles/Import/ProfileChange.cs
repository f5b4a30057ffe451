using System.Diagnostics;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>imgimport <c>-f</c>: the image under a new profile (xCAT's imgport.pm, change_profile).</summary>
internal sealed class ProfileChange
{
    private readonly string _oldProfile;

    private ProfileChange(ImageDefinition definition, string oldProfile, string? newProfile, string? newRootImageDirectory)
    {
        Definition = definition;
        _oldProfile = oldProfile;
        NewProfile = newProfile;
        NewRootImageDirectory = newRootImageDirectory;
    }

    /// <summary>The definition under the new profile (and standard name), or as it was.</summary>
    public ImageDefinition Definition { get; }

    /// <summary>The new profile; <see langword="null"/> when the profile stays.</summary>
    public string? NewProfile { get; }

    /// <summary>Where kernel, ramdisk and root image go under the new profile; <see langword="null"/> when they follow the manifest's paths.</summary>
    public string? NewRootImageDirectory { get; }

    /// <summary>Renames <paramref name="definition"/> for <see cref="ImageImportOptions.NewProfile"/>, when it names another profile.</summary>
    public static ProfileChange For(ImageDefinition definition, ImageImportOptions options, string installDirectory, ImgportMethod method)
    {
        var os = definition.OsImage;
        var oldProfile = os.Profile!;
        if (options.NewProfile is not { Length: > 0 } newProfile || newProfile == os.Profile)
        {
            return new ProfileChange(definition, oldProfile, null, null);
        }

        definition = Renamed(definition, newProfile);
        string? newRootImageDirectory = null;
        if (!string.IsNullOrEmpty(definition.LinuxImage.RootImageDirectory))
        {
            newRootImageDirectory = ImgportMethod.IsS390x(os.OsArch!) && method.IsRawOrSysClone
                ? method.ImageFileDirectory(installDirectory, os.OsVersion!, os.OsArch!, newProfile)
                : ImageNaming.StandardRootImageDirectory(installDirectory, os.OsVersion!, os.OsArch!, newProfile);
            definition = definition with { LinuxImage = definition.LinuxImage with { RootImageDirectory = newRootImageDirectory } };
        }
        else if (os.Method is ProvisioningMethod.Netboot or ProvisioningMethod.Statelite)
        {
            // xCAT's change_profile leaves kernel, ramdisk and rootimg at their old paths when rootimgdir is unset, so
            // the import overwrites the source image's files while the new definition derives a directory that has
            // none. Fixed: they go where the new definition looks for them.
            newRootImageDirectory = ImageNaming.StandardRootImageDirectory(installDirectory, os.OsVersion!, os.OsArch!, newProfile);
        }

        return new ProfileChange(definition, oldProfile, newProfile, newRootImageDirectory);
    }

    /// <summary>A list file's name under the new profile: the old profile in it replaced, else the new one prefixed.</summary>
    public string RenameListFile(string name)
    {
        if (NewProfile is null)
        {
            return name;
        }

        var index = name.IndexOf(_oldProfile, StringComparison.Ordinal);
        return index >= 0 ? string.Concat(name.AsSpan(0, index), NewProfile, name.AsSpan(index + _oldProfile.Length)) : $"{NewProfile}.{name}";
    }

    private static ImageDefinition Renamed(ImageDefinition definition, string newProfile)
    {
        // The name is forced to the standard one (custom names are lost, as in xCAT).
        var os = definition.OsImage;
        // ImportManifestCheck has refused unknown methods and missing osvers/osarch before any profile change.
        var name = ImageNaming.StandardName(os.OsVersion!, os.OsArch!, os.Method ?? throw new UnreachableException(), newProfile);
        var osImage = os with { Profile = newProfile };
        var columns = new Dictionary<string, string>(new ImageDefinition(osImage, definition.LinuxImage).GetColumns("osimage"), StringComparer.Ordinal)
        {
            ["imagename"] = name,
        };
        return ImageDefinition.FromColumns(columns, definition.GetColumns("linuximage"));
    }
}
