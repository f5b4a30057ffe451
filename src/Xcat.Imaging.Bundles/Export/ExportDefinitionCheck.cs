using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>imgexport's checks of a definition before anything is looked for (xCAT's imgport.pm, get_image_info), with xCAT's messages.</summary>
internal static class ExportDefinitionCheck
{
    private const string ProvMethods = "install, netboot, statelite, or raw";

    /// <summary>Checks <paramref name="image"/>; returns its provisioning method.</summary>
    /// <exception cref="InvalidOperationException">A field is unset (all listed), the method is not exported, or the linuximage row is missing.</exception>
    public static ImgportMethod Check(ImageDefinition image, string imageName)
    {
        var os = image.OsImage;
        var errors = new List<string>();
        foreach (var (field, value) in new[] { ("provmethod", os.ProvMethod), ("profile", os.Profile), ("osvers", os.OsVersion), ("osarch", os.OsArch) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"The '{field}' field is not set for '{imageName}' in the osimage table.");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join('\n', errors));
        }

        // Whole names only (ImgportMethod); the typo 'provemethod' is xCAT's.
        var method = new ImgportMethod(os.ProvMethod!);
        if (!method.IsKnown)
        {
            throw new InvalidOperationException($"Exporting images with 'provemethod' {method.Name} is not supported. Hint: {ProvMethods}");
        }

        if (method.IsSysClone && !ImgportMethod.IsS390x(os.OsArch!))
        {
            throw new InvalidOperationException($"Exporting images with 'provemethod' {method.Name} is not supported for osarch '{os.OsArch}'. Hint: {ProvMethods}");
        }

        if (image.LinuxImage.IsEmpty)
        {
            throw new InvalidOperationException($"Cannot find image '{imageName}' from the linuximage table.");
        }

        return method;
    }
}
