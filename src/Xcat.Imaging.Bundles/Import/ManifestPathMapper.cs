using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>Maps manifest paths under the exporter's install directory to ours; <see cref="InstallPathPolicy"/> then confines them.</summary>
internal sealed class ManifestPathMapper
{
    private readonly string _installDirectory;
    private readonly string _xcatShare;
    private readonly List<string> _sourceInstallDirectories = [SiteSettings.DefaultInstallDirectory];

    public ManifestPathMapper(string installDirectory, ImageImportOptions options, ImageDefinition definition)
    {
        _installDirectory = installDirectory;
        _xcatShare = options.XcatShareDirectory.TrimEnd('/');

        // A standard rootimgdir reveals the exporter's install directory: <installdir>/netboot/<osvers>/<osarch>/<profile>.
        var os = definition.OsImage;
        var suffix = os.OsVersion is { Length: > 0 } osVersion && os.OsArch is { Length: > 0 } osArch && os.Profile is { Length: > 0 } profile
            ? ImageNaming.StandardRootImageDirectory("/", osVersion, osArch, profile)
            : null;
        if (suffix is not null && definition.LinuxImage.RootImageDirectory is { } rootImageDirectory && rootImageDirectory.TrimEnd('/').EndsWith(suffix, StringComparison.Ordinal))
        {
            var exporter = rootImageDirectory.TrimEnd('/')[..^suffix.Length];
            if (exporter.Length > 1 && !_sourceInstallDirectories.Contains(exporter))
            {
                _sourceInstallDirectories.Insert(0, exporter);
            }
        }
    }

    public bool IsUnderXcatShare(string path) => Under(path, _xcatShare);

    public string Map(string path)
    {
        var normal = InstallPathPolicy.Normalize(path) ?? path;
        foreach (var source in _sourceInstallDirectories)
        {
            if (Under(normal, source))
            {
                return _installDirectory + normal[source.Length..];
            }
        }

        return path;
    }

    /// <summary>Maps every absolute item of every column but the name (pkgdir, otherpkgdir...).</summary>
    public ImageDefinition MapColumns(ImageDefinition definition)
    {
        foreach (var table in new[] { "osimage", "linuximage" })
        {
            foreach (var (column, value) in definition.GetColumns(table))
            {
                if (column == "imagename")
                {
                    continue;
                }

                var mapped = MapList(value);
                if (mapped != value)
                {
                    definition = definition.WithColumn(table, column, mapped);
                }
            }
        }

        return definition;
    }

    public Dictionary<string, string> MapValues(IReadOnlyDictionary<string, string> columns) =>
        columns.ToDictionary(static c => c.Key, c => MapList(c.Value), StringComparer.Ordinal);

    /// <summary>Maps each absolute item of a comma list; empty items are kept, so an unmapped value comes back unchanged.</summary>
    private string MapList(string value) => string.Join(',', value.Split(',').Select(i => i.StartsWith('/') ? Map(i) : i));

    private static bool Under(string path, string directory) =>
        directory == "/" || path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);
}
