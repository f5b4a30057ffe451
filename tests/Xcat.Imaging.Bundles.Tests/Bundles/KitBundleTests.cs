using Xcat.Imaging.Catalog;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

public sealed class KitBundleTests : TwoSites
{
    private const string Kit = "mykit-1.0-1";
    [Fact]
    [Trait("Category", "Interop")]
    public async Task An_image_with_kit_components_carries_its_kits_and_a_single_kit_imports()
    {
        var definition = await Source.DefineNetbootImageAsync();
        await Source.Catalog.SaveImageAsync(definition with { OsImage = definition.OsImage with { KitComponents = ["comp1-1.0-1-rhels-9-x86_64"] } });
        var kitDirectory = $"{Source.InstallDirectory}/kits/{Kit}";
        Directory.CreateDirectory($"{kitDirectory}/repos/repo1");
        Directory.CreateDirectory($"{kitDirectory}/other_files");
        Directory.CreateDirectory($"{kitDirectory}/plugins");
        File.WriteAllText($"{kitDirectory}/repos/repo1/comp1.rpm", "rpm");
        File.WriteAllText($"{kitDirectory}/other_files/kitscript.sh", "#!/bin/sh\n");
        File.WriteAllText($"{kitDirectory}/other_files/comp1.exlist", "./opt/doc*\n");
        File.WriteAllText($"{kitDirectory}/other_files/.hidden", "x");
        File.WriteAllText($"{kitDirectory}/plugins/mykit.pm", "1;\n");
        var changes = new CatalogChanges()
            .Upsert("kit", BundleSite.Key("kitname", Kit), new Dictionary<string, string?> { ["basename"] = "mykit", ["version"] = "1.0", ["kitdir"] = kitDirectory })
            .Upsert("kitrepo", BundleSite.Key("kitreponame", "mykit-1.0-1-rhels-9-x86_64"),
                new Dictionary<string, string?> { ["kitname"] = Kit, ["kitrepodir"] = $"{kitDirectory}/repos/repo1" })
            .Upsert("kitcomponent", BundleSite.Key("kitcompname", "comp1-1.0-1-rhels-9-x86_64"),
                new Dictionary<string, string?> { ["kitname"] = Kit, ["kitreponame"] = "mykit-1.0-1-rhels-9-x86_64", ["basename"] = "comp1" })
            .Upsert("kitcomponent", BundleSite.Key("kitcompname", "comp2-1.0-1-rhels-9-x86_64"), new Dictionary<string, string?> { ["kitname"] = Kit })
            .Upsert("kit", BundleSite.Key("kitname", "other-1.0-1"), new Dictionary<string, string?> { ["basename"] = "other" });
        await Source.Catalog.ApplyAsync(changes);
        var bundle = Source.Path("kit.tgz");

        var export = await Source.Exporter().ExportAsync(BundleSite.Image, bundle);

        export.Manifest.Kits.Should().ContainSingle().Which.Name.Should().Be(Kit);
        export.Manifest.KitRepos.Should().ContainSingle().Which.Name.Should().Be("mykit-1.0-1-rhels-9-x86_64");
        export.Manifest.KitComponents.Select(static c => c.Name).Should().Equal("comp1-1.0-1-rhels-9-x86_64", "comp2-1.0-1-rhels-9-x86_64");
        var listing = (await ExternalTool.RunAsync("tar", ["-tzf", bundle])).EnsureSuccess().Output;
        listing.Should().Contain($"./{BundleSite.Image}/{Kit}/repos/repo1/comp1.rpm\n").And.Contain($"./{BundleSite.Image}/{Kit}/plugins/mykit.pm\n");

        var result = await Target.Importer().ImportAsync(bundle);

        var targetKit = $"{Target.InstallDirectory}/kits/{Kit}";
        File.ReadAllText($"{targetKit}/repos/repo1/comp1.rpm").Should().Be("rpm");
        var script = $"{Target.InstallDirectory}/postscripts/kitscript.sh";
        File.ReadAllText(script).Should().Be("#!/bin/sh\n");
        File.GetUnixFileMode(script).Should().Be((UnixFileMode)0b111_101_101);
        File.Exists($"{Target.InstallDirectory}/postscripts/comp1.exlist").Should().BeFalse();
        File.Exists($"{Target.InstallDirectory}/postscripts/.hidden").Should().BeFalse();
        result.Messages.Should().Contain(m => m.Contains("plugins of kit mykit-1.0-1", StringComparison.Ordinal));
        var kitRow = (await Target.Catalog.ReadTableAsync("kit")).Should().ContainSingle().Subject;
        kitRow["kitdir"].Should().Be(targetKit);
        kitRow["version"].Should().Be("1.0");
        (await Target.Catalog.ReadTableAsync("kitrepo")).Should().ContainSingle().Which["kitrepodir"].Should().Be($"{targetKit}/repos/repo1");
        (await Target.Catalog.ReadTableAsync("kitcomponent")).Select(static r => r["kitcompname"]).Should().BeEquivalentTo(
            ["comp1-1.0-1-rhels-9-x86_64", "comp2-1.0-1-rhels-9-x86_64"]);
        (await Target.Catalog.FindImageAsync(BundleSite.Image))!.OsImage.KitComponents.Should().Equal("comp1-1.0-1-rhels-9-x86_64");
    }

    [Fact]
    public async Task A_kit_component_without_its_kit_is_refused_with_xcats_messages()
    {
        var definition = await Source.DefineNetbootImageAsync();
        await Source.Catalog.SaveImageAsync(definition with { OsImage = definition.OsImage with { KitComponents = ["nosuch"] } });

        (await Source.Exporter().Invoking(e => e.PreviewAsync(BundleSite.Image)).Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("Cannot find kitname of 'nosuch' from the kitcomponent table.");
        await Source.Catalog.ApplyAsync(new CatalogChanges().Upsert("kitcomponent", BundleSite.Key("kitcompname", "nosuch"),
            new Dictionary<string, string?> { ["kitname"] = "ghost-1.0" }));
        (await Source.Exporter().Invoking(e => e.PreviewAsync(BundleSite.Image)).Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("Cannot find kit 'ghost-1.0' from the kit table.");
    }
}
