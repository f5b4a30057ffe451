using System.IO.Abstractions;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>
/// imgimport's checks of one image's manifest before any path is made from it (xCAT's imgport.pm, verify_manifest and
/// check_media), with the names that become path components checked as such.
/// </summary>
internal static class ImportManifestCheck
{
    private static readonly string[] s_requiredFields = ["provmethod", "profile", "osvers", "osarch"];

    /// <summary>Checks the manifest of <paramref name="image"/>; returns its provisioning method.</summary>
    /// <exception cref="InvalidDataException">A field is missing or unusable, or the method is not imported.</exception>
    /// <exception cref="InvalidOperationException">The image needs media that was not copied.</exception>
    public static ImgportMethod Check(ExtractedImage image, string where, IFileSystem fileSystem, string installDirectory)
    {
        var manifest = image.Manifest;
        var definition = manifest.Image;
        var os = definition.OsImage;

        // verify_manifest: all problems at once.
        var osColumns = definition.GetColumns("osimage");
        var missing = s_requiredFields.Where(f => string.IsNullOrWhiteSpace(osColumns.GetValueOrDefault(f)))
            .Select(static f => $"The '{f}' field is not defined in manifest.xml.").ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{string.Join('\n', missing)} ({where})");
        }

        // They become directory names below the install directory: one path component each, before any path is made.
        foreach (var (field, value) in new[] { ("imagename", definition.Name), ("provmethod", os.ProvMethod), ("profile", os.Profile), ("osvers", os.OsVersion), ("osarch", os.OsArch) })
        {
            if (ImageNaming.PathComponentProblem(value) is { } problem)
            {
                throw new InvalidDataException(
                    $"The '{field}' field of manifest.xml is '{InstallPathPolicy.Show(value)}', which {problem}; it must be a single path component. ({where})");
            }
        }

        foreach (var kit in manifest.Kits)
        {
            if (ImageNaming.PathComponentProblem(kit.Name) is { } problem)
            {
                throw new InvalidDataException($"The kit name '{InstallPathPolicy.Show(kit.Name)}' in manifest.xml {problem}; it must be a single path component. ({where})");
            }
        }

        var method = new ImgportMethod(os.ProvMethod!);
        var osVersion = os.OsVersion!;
        var osArch = os.OsArch!;
        var s390x = ImgportMethod.IsS390x(osArch);
        if (!method.IsKnown || (method.IsSysClone && !s390x))
        {
            throw new InvalidDataException($"Importing images with 'provmethod' {method.Name} is not supported. Hint: install, netboot, statelite, sysclone or raw");
        }

        var isEsx = ImgportMethod.IsEsx(osVersion);
        if (method.IsInstall && string.IsNullOrEmpty(definition.LinuxImage.Template))
        {
            // xCAT's message names 'osarch' here by mistake (xCAT's imgport.pm, verify_manifest).
            throw new InvalidDataException($"The 'template' field is not defined in manifest.xml. ({where})");
        }

        if (method.IsStatelite)
        {
            RequireFields(where, ("kernel", manifest.Kernel), ("ramdisk", manifest.Ramdisk), ("rootimgtree", manifest.RootImageTree));
        }
        else if (!isEsx && (method.IsRawOrSysClone || (s390x && method.IsNetboot)))
        {
            if (manifest.RawImageFiles.Count == 0)
            {
                throw new InvalidDataException($"The 'rawimagefiles' field is not defined in manifest.xml. ({where})");
            }
        }
        else if (!isEsx && method.IsNetboot)
        {
            RequireFields(where, ("ramdisk", manifest.Ramdisk), ("kernel", manifest.Kernel), ("rootimg", manifest.RootImage));
        }

        // check_media.
        if (string.Equals(manifest.Media, "required", StringComparison.Ordinal)
            && !fileSystem.Directory.Exists($"{installDirectory}/{osVersion}/{osArch}"))
        {
            throw new InvalidOperationException($"This image requires that you first copy media for {osVersion}-{osArch}");
        }

        return method;
    }

    private static void RequireFields(string where, params (string Field, string? Value)[] fields)
    {
        foreach (var (field, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidDataException($"The '{field}' field is not defined in manifest.xml. ({where})");
            }
        }
    }
}
