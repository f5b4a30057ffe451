using System.IO.Abstractions;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>
/// What every part of one export's plan shares: the image's identity, where to look, xCAT's messages, and the missing
/// files, collected so that one run reports everything to fix, each with where it was looked for.
/// </summary>
internal sealed class ExportContext(IFileSystem fileSystem, SiteSettings site, ImageExportOptions options, string imageName,
    ImgportMethod method, string osVersion, string osArch, string profile)
{
    private readonly List<string> _missing = [];

    public IFileSystem FileSystem => fileSystem;

    public SiteSettings Site => site;

    public ImageExportOptions Options => options;

    public string ImageName => imageName;

    public ImgportMethod Method => method;

    public string OsVersion => osVersion;

    public string OsArch => osArch;

    public string Profile => profile;

    public List<string> Messages { get; } = [];

    /// <summary>Records a missing file; returns <see langword="null"/> to stand for it.</summary>
    public string? Missing(string message)
    {
        _missing.Add(message);
        return null;
    }

    /// <summary>Reports every missing file at once.</summary>
    /// <exception cref="FileNotFoundException">Files are missing.</exception>
    public void ThrowIfMissing()
    {
        if (_missing.Count > 0)
        {
            throw new FileNotFoundException(_missing.Count == 1 ? _missing[0] : $"{_missing.Count} files are missing for {imageName}: {string.Join("; ", _missing)}");
        }
    }

    /// <summary><c>&lt;directory&gt;/&lt;name&gt;</c> when that file exists.</summary>
    public string? Existing(string directory, string name)
    {
        var path = directory.TrimEnd('/') + "/" + name;
        return fileSystem.File.Exists(path) ? path : null;
    }

    /// <summary>
    /// <c>look_for_file</c> (xCAT's imgport.pm, get_files) of <paramref name="file"/> under the site's
    /// <c>custom/&lt;kind&gt;</c>, then xCAT's shipped <c>&lt;kind&gt;</c> directory.
    /// </summary>
    public string? LookForFile(string file, string kind) =>
        XcatFileLookup.LookForFile(fileSystem, file, osVersion, osArch, profile, $"{site.InstallDirectory}/custom/{kind}", $"{options.XcatShareDirectory}/{kind}");

    /// <summary>A netboot or statelite image without a pkglist ships the one genimage would use.</summary>
    /// <exception cref="FileNotFoundException">There is none.</exception>
    public ImageDefinition WithPackageList(ImageDefinition image)
    {
        if (image.LinuxImage.PackageLists.Count > 0)
        {
            return image;
        }

        var found = LookForFile("pkglist", "netboot") ?? throw new FileNotFoundException($"Couldn't find pkglist file for {imageName}");
        Messages.Add($"The image '{imageName}' has no pkglist; exporting {found}.");
        return image with { LinuxImage = image.LinuxImage with { PackageLists = [found] } };
    }
}
