using Xcat.Imaging.Definitions;
using Xcat.Imaging.Packing;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>A netboot image (xCAT's imgport.pm, get_files): its pkglist, kernel, stateless initrd and packed rootimg, and the unpacked tree on request.</summary>
internal static class NetbootExportPlan
{
    /// <exception cref="FileNotFoundException">The pkglist is not found.</exception>
    /// <exception cref="DirectoryNotFoundException">The unpacked tree was asked for and is not there.</exception>
    public static ExportSources Plan(ExportContext context, ImageDefinition image)
    {
        image = context.WithPackageList(image);
        var imageName = context.ImageName;
        var rootImageDirectory = image.GetRootImageDirectory(context.Site);
        var shownDirectory = rootImageDirectory.TrimEnd('/');
        var ramdisk = context.Existing(rootImageDirectory, "initrd-stateless.gz")
            ?? context.Missing($"Couldn't find ramdisk (initrd-stateless.gz) for  {imageName} (looked for {shownDirectory}/initrd-stateless.gz)");
        var kernel = context.Existing(rootImageDirectory, "kernel")
            ?? context.Missing($"Couldn't find kernel (kernel) for  {imageName} (looked for {shownDirectory}/kernel)");

        // xCAT's get_files bug fixed: with none present xCAT exports "<rootimgdir>/"; this is an error.
        var rootimg = RootImageFiles.ArchiveNames.Select(n => context.Existing(rootImageDirectory, n)).FirstOrDefault(static p => p is not null)
            ?? context.Missing($"Couldn't find compressed rootimg for {imageName} (looked in {shownDirectory} for {string.Join(", ", RootImageFiles.ArchiveNames)})");
        string? tree = null;
        if (context.Options.IncludeRootImageTree)
        {
            tree = context.FileSystem.Path.Combine(rootImageDirectory, RootImageFiles.TreeDirectoryName);
            if (!context.FileSystem.Directory.Exists(tree))
            {
                throw new DirectoryNotFoundException($"Couldn't find the unpacked root image {tree} for {imageName}");
            }
        }

        return new ExportSources(image) { Kernel = kernel, Ramdisk = ramdisk, RootImage = rootimg, Tree = tree };
    }
}
