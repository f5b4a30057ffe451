using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>An s390x image, netboot, raw or sysclone (xCAT's imgport.pm, get_files): the <c>*.img</c> files of its directory.</summary>
internal static class RawExportPlan
{
    /// <exception cref="FileNotFoundException">The directory holds no <c>*.img</c> file.</exception>
    public static ExportSources Plan(ExportContext context, ImageDefinition image)
    {
        var fileSystem = context.FileSystem;
        var installDirectory = context.Site.InstallDirectory;
        var directory = context.Method.IsNetboot
            ? ImageNaming.StandardRootImageDirectory(installDirectory, context.OsVersion, "s390x", context.Profile)
            : context.Method.ImageFileDirectory(installDirectory, context.OsVersion, "s390x", context.Profile);
        var rawFiles = fileSystem.Directory.Exists(directory)
            ? fileSystem.Directory.EnumerateFiles(directory, "*.img").Order(StringComparer.Ordinal).ToList()
            : [];
        if (rawFiles.Count == 0)
        {
            throw new FileNotFoundException($"Couldn't find raw image files (*.img) in {directory} for {context.ImageName}");
        }

        return new ExportSources(image) { RawFiles = rawFiles };
    }
}
