using System.IO.Compression;
using System.Text;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

/// <summary>
/// One xCAT site for bundle tests: an install directory, an in-memory catalog, and helpers to define a netboot image
/// with its files (kernel, initrd, packed rootimg, unpacked tree, list files) and nodes.
/// </summary>
internal sealed class BundleSite : IDisposable
{
    public const string Image = "rhels9.4-x86_64-netboot-compute";

    private readonly TempDirectory _temp = new();

    public BundleSite()
    {
        InstallDirectory = _temp.Combine("install");
        Directory.CreateDirectory(InstallDirectory);
        Outside = _temp.Combine("outside");
        Directory.CreateDirectory(Outside);
        File.WriteAllText(System.IO.Path.Combine(Outside, "sentinel"), "must not change\n");
    }

    public string Root => _temp.Path;

    public string InstallDirectory { get; }

    /// <summary>A directory outside the install directory, with a sentinel file.</summary>
    public string Outside { get; }

    public InMemoryImageCatalog Catalog { get; } = new();

    /// <summary>The site, its install directory <see cref="InstallDirectory"/>.</summary>
    public SiteSettings Site => SiteSettings.Default.WithInstallDirectory(InstallDirectory);

    public string RootImageDirectory => $"{InstallDirectory}/netboot/rhels9.4/x86_64/compute";

    public string ListDirectory => $"{InstallDirectory}/custom/netboot/rh";

    public string Path(params string[] parts) => _temp.Combine(parts);

    public ImageExporter Exporter() => new(Catalog, Site);

    public ImageImporter Importer() => new(Catalog, Site);

    /// <summary>Defines the netboot image and writes its files; returns the definition.</summary>
    public async Task<ImageDefinition> DefineNetbootImageAsync(bool withTree = false, string rootImageName = "rootimg.cpio.gz")
    {
        Directory.CreateDirectory(RootImageDirectory);
        Directory.CreateDirectory(ListDirectory);
        File.WriteAllText($"{RootImageDirectory}/kernel", "kernel bytes\n");
        WriteGzip($"{RootImageDirectory}/initrd-stateless.gz", "initrd bytes\n");
        WriteGzip($"{RootImageDirectory}/{rootImageName}", "rootimg bytes\n");
        File.WriteAllText($"{ListDirectory}/compute.rhels9.4.x86_64.pkglist", "bash\nopenssh\n");
        File.WriteAllText($"{ListDirectory}/compute.exlist", "./usr/share/doc*\n");
        File.WriteAllText($"{ListDirectory}/compute.synclist", "/etc/hosts -> /etc/hosts\n");
        if (withTree)
        {
            var tree = $"{RootImageDirectory}/rootimg";
            Directory.CreateDirectory($"{tree}/etc");
            Directory.CreateDirectory($"{tree}/bin");
            File.WriteAllText($"{tree}/etc/hostname", "compute\n");
            File.WriteAllBytes($"{tree}/bin/tool", Enumerable.Range(0, 5000).Select(static i => (byte)i).ToArray());
            File.CreateSymbolicLink($"{tree}/bin/sh", "tool");
            File.CreateSymbolicLink($"{tree}/etc/localtime", "/usr/share/zoneinfo/UTC");
        }

        var definition = ImageDefinition.FromColumns(
            new Dictionary<string, string>
            {
                ["imagename"] = Image, ["imagetype"] = "linux", ["provmethod"] = "netboot", ["profile"] = "compute",
                ["osvers"] = "rhels9.4", ["osarch"] = "x86_64", ["osname"] = "Linux", ["synclists"] = $"{ListDirectory}/compute.synclist",
            },
            new Dictionary<string, string>
            {
                ["imagename"] = Image, ["pkglist"] = $"{ListDirectory}/compute.rhels9.4.x86_64.pkglist",
                ["exlist"] = $"{ListDirectory}/compute.exlist", ["rootimgdir"] = RootImageDirectory,
                ["pkgdir"] = $"{InstallDirectory}/rhels9.4/x86_64",
            });
        await Catalog.SaveImageAsync(definition);
        return definition;
    }

    /// <summary>Defines nodes with groups and the xcatdefaults postscripts row.</summary>
    public async Task DefineNodesAsync(params string[] nodes)
    {
        var changes = new CatalogChanges();
        foreach (var node in nodes)
        {
            changes.Upsert("nodelist", Key("node", node), new Dictionary<string, string?> { ["groups"] = "compute,all" });
        }

        changes.Upsert("postscripts", Key("node", "xcatdefaults"), new Dictionary<string, string?> { ["postscripts"] = "syslog,remoteshell", ["postbootscripts"] = "otherpkgs" });
        changes.Upsert("postscripts", Key("node", "compute"), new Dictionary<string, string?> { ["postscripts"] = "setupntp", ["postbootscripts"] = "mlnxofed" });
        await Catalog.ApplyAsync(changes);
    }

    /// <summary>Everything that import could change: the catalog and the install and outside trees.</summary>
    public async Task<string> SnapshotAsync()
    {
        var builder = new StringBuilder(await CatalogSnapshot.TakeAsync(Catalog));
        foreach (var root in new[] { InstallDirectory, Outside })
        {
            foreach (var file in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(file);
                builder.Append(file).Append(' ').Append(info.LinkTarget ?? (File.Exists(file) ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))) : "dir")).Append('\n');
            }
        }

        return builder.ToString();
    }

    public void Dispose() => _temp.Dispose();

    public static void WriteGzip(string path, string content)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(content));
    }

    public static Dictionary<string, string> Key(string column, string value) => new() { [column] = value };
}
