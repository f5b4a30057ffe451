using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

public sealed class StateliteBundleTests : TwoSites
{
    private const string Image = "rhels9.4-x86_64-statelite-compute";
    [Fact]
    [Trait("Category", "Interop")]
    public async Task A_statelite_image_travels_with_its_tree_as_rootimgtree_gz_and_its_litefile_rows()
    {
        var rootImageDirectory = await DefineStateliteImageAsync(Source);
        var bundle = Source.Path("lite.tgz");

        var export = await Source.Exporter().ExportAsync(Image, bundle);

        export.Manifest.RootImageTree.Should().Be($"{rootImageDirectory}/rootimgtree.gz");
        export.Manifest.LiteFile.Should().Be($"{rootImageDirectory}/litefile.csv");
        var stage = Source.Path("stage");
        Directory.CreateDirectory(stage);
        (await ExternalTool.RunAsync("tar", ["-xzf", bundle, "-C", stage])).EnsureSuccess();
        File.ReadAllText(Path.Combine(stage, Image, "litefile.csv")).Should().Be(
            $"\"{Image}\",\"/etc/adjtime\",\"tmpfs\",,\n\"{Image}\",\"/var/log/\",\"persistent\",,\n\"{Image}\",\"/etc/ssh/\",\"tmpfs\",,\n");

        // xCAT's import runs `zcat rootimgtree.gz | cpio -idum` in the rootimgdir (spec §2.8).
        var cpio = Source.Path("cpio");
        Directory.CreateDirectory(cpio);
        (await ExternalTool.ShellAsync($"zcat '{Path.Combine(stage, Image, "rootimgtree.gz")}' | cpio -idum --quiet", cpio)).EnsureSuccess();
        new TreeComparer(ComparisonPresets.GnuCpio()).AssertEqual($"{rootImageDirectory}/rootimg", Path.Combine(cpio, "rootimg"));

        var result = await Target.Importer().ImportAsync(bundle, new ImageImportOptions { NewProfile = "lite2" });

        var name = "rhels9.4-x86_64-statelite-lite2";
        result.Images.Should().ContainSingle().Which.Definition.Name.Should().Be(name);
        result.Messages.Should().Contain("Extracting rootimgtree.gz. It will take a while.").And.Contain("Updating the litefile table.");
        var target = $"{Target.InstallDirectory}/netboot/rhels9.4/x86_64/lite2";
        new TreeComparer(ComparisonPresets.Seconds()).AssertEqual($"{rootImageDirectory}/rootimg", $"{target}/rootimg");
        File.ReadAllText($"{target}/kernel").Should().Be("kernel\n");
        File.Exists($"{target}/litefile.csv").Should().BeTrue();
        File.Exists($"{target}/rootimgtree.gz").Should().BeFalse("xCAT removes it after unpacking");
        var rows = (await Target.Catalog.ReadTableAsync("litefile")).Where(r => r["image"] == name)
            .Select(static r => $"{r["file"]}={r["options"]}").ToList();
        rows.Should().BeEquivalentTo(["/etc/adjtime=tmpfs", "/var/log/=persistent", "/etc/ssh/=tmpfs"]);
    }

    [Fact]
    public async Task Litefile_rows_that_ALL_already_has_are_not_duplicated()
    {
        await DefineStateliteImageAsync(Source);
        var bundle = Source.Path("lite.tgz");
        await Source.Exporter().ExportAsync(Image, bundle);
        await Target.Catalog.ApplyAsync(new CatalogChanges().Upsert("litefile",
            new Dictionary<string, string> { ["image"] = "ALL", ["file"] = "/etc/adjtime" }, new Dictionary<string, string?> { ["options"] = "tmpfs" }));

        await Target.Importer().ImportAsync(bundle);

        var rows = (await Target.Catalog.ReadTableAsync("litefile")).Select(static r => $"{r["image"]}:{r["file"]}").ToList();
        rows.Should().BeEquivalentTo(["ALL:/etc/adjtime", $"{Image}:/var/log/", $"{Image}:/etc/ssh/"]);
    }

    private static async Task<string> DefineStateliteImageAsync(BundleSite site)
    {
        var directory = $"{site.InstallDirectory}/netboot/rhels9.4/x86_64/compute";
        Directory.CreateDirectory($"{directory}/rootimg/etc/ssh");
        Directory.CreateDirectory($"{directory}/rootimg/var/log");
        Directory.CreateDirectory(site.ListDirectory);
        File.WriteAllText($"{directory}/rootimg/etc/ssh/sshd_config", "PermitRootLogin yes\n");
        File.CreateSymbolicLink($"{directory}/rootimg/etc/mtab", "/proc/mounts");
        File.WriteAllText($"{directory}/kernel", "kernel\n");
        BundleSite.WriteGzip($"{directory}/initrd-statelite.gz", "initrd");
        File.WriteAllText($"{site.ListDirectory}/compute.pkglist", "bash\n");
        await site.Catalog.SaveImageAsync(ImageDefinition.FromColumns(
            new Dictionary<string, string>
            {
                ["imagename"] = Image, ["imagetype"] = "linux", ["provmethod"] = "statelite", ["profile"] = "compute",
                ["osvers"] = "rhels9.4", ["osarch"] = "x86_64",
            },
            new Dictionary<string, string>
            {
                ["imagename"] = Image, ["pkglist"] = $"{site.ListDirectory}/compute.pkglist", ["rootimgdir"] = directory,
            }));
        var changes = new CatalogChanges();
        foreach (var (image, file, options) in new[] { ("ALL", "/etc/adjtime", "tmpfs"), ("ALL", "/var/log/", "persistent"), (Image, "/etc/ssh/", ""), ("other", "/opt/", "rw") })
        {
            changes.Upsert("litefile", new Dictionary<string, string> { ["image"] = image, ["file"] = file },
                new Dictionary<string, string?> { ["options"] = options.Length > 0 ? options : null });
        }

        await site.Catalog.ApplyAsync(changes);
        return directory;
    }
}
