using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Schema;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>
/// The image's own files (xCAT's imgport.pm, make_files): kernel, ramdisk, rootimg and litefile, the list files,
/// the raw image files and the unpacked root image, each given its destination and written back into the definition.
/// </summary>
internal static class ImageFileImportPlan
{
    /// <summary>Adds the files to <paramref name="placements"/>; returns the definition with the list files where they will be.</summary>
    public static ImageDefinition Add(ImportPlacements placements, ImageDefinition definition, ImgportMethod method, ProfileChange profile,
        ManifestPathMapper paths, string installDirectory)
    {
        var manifest = placements.Image.Manifest;
        var newRootImageDirectory = profile.NewRootImageDirectory;

        // Top level, comma lists; they follow the rootimgdir on -f.
        foreach (var (what, value) in new[] { ("kernel", manifest.Kernel), ("ramdisk", manifest.Ramdisk), ("rootimg", manifest.RootImage), ("litefile", manifest.LiteFile) })
        {
            foreach (var path in CommaList.Split(value))
            {
                var target = newRootImageDirectory is not null
                    ? $"{newRootImageDirectory}/{TreePath.GetFileName(path)}"
                    : paths.Map(path);
                _ = placements.AddMember(path, target, what);
            }
        }

        // List files: relocated out of xCAT's shipped templates, renamed for -f (xCAT's imgport.pm, change_profile), rewritten in the definition.
        var os = definition.OsImage;
        var platformKind = method.IsInstall ? "install" : "netboot";
        foreach (var column in XcatFileLookup.ListColumns.Append("synclists"))
        {
            var table = column == "synclists" ? "osimage" : "linuximage";
            var list = CommaList.Split(definition.GetColumns(table).GetValueOrDefault(column));
            if (list.Count == 0)
            {
                continue;
            }

            var rewritten = new List<string>();
            foreach (var path in list)
            {
                var normal = InstallPathPolicy.Normalize(path) ?? path;
                var name = profile.RenameListFile(TreePath.GetFileName(path));
                var target = paths.IsUnderXcatShare(normal)
                    ? $"{installDirectory}/custom/{platformKind}/{XcatFileLookup.Platform(os.OsVersion!)}/{name}"
                    : paths.Map($"{TreePath.GetDirectoryName(normal)}/{name}");
                rewritten.Add(placements.AddMember(path, target, column));
            }

            definition = definition.WithColumn(table, column, CommaList.Join(rewritten));
        }

        foreach (var path in manifest.RawImageFiles)
        {
            var name = TreePath.GetFileName(path);
            var directory = method.ImageFileDirectory(installDirectory, os.OsVersion!, os.OsArch!, definition.OsImage.Profile!);
            _ = placements.AddMember(path, $"{directory}/{(name.EndsWith(".img", StringComparison.Ordinal) ? name : name + ".img")}", "rawimagefiles");
        }

        if (manifest.UnpackedRootImage is { Length: > 0 } tree)
        {
            var image = placements.Image;
            if (placements.Policy.FindSource(image.Path, BundleReader.RootImageTreeDirectory, "unpackedrootimg") is not { Status.Type: UnixFileType.Directory } staged)
            {
                throw new InvalidDataException($"The bundle lacks '{InstallPathPolicy.Show(image.DirectoryName)}/{BundleReader.RootImageTreeDirectory}/', which the manifest references as unpackedrootimg.");
            }

            var target = placements.Policy.Destination(newRootImageDirectory is not null ? $"{newRootImageDirectory}/rootimg" : paths.Map(tree), "unpackedrootimg");
            placements.Add(staged.Path, target, "unpackedrootimg");
        }

        return definition;
    }
}
