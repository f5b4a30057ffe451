using System.Diagnostics;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

public sealed class ImageImporterTests : TwoSites
{
    [Fact]
    [Trait("Category", "Interop")]
    public async Task An_exported_image_imports_at_another_site_with_its_paths_following_the_install_directory()
    {
        await Source.DefineNetbootImageAsync(withTree: true);
        var bundle = await ExportAsync(new ImageExportOptions { IncludeRootImageTree = true });

        var result = await Target.Importer().ImportAsync(bundle);

        var image = result.Images.Should().ContainSingle().Subject;
        image.Verified.Should().BeTrue();
        var definition = await Target.Catalog.FindImageAsync(BundleSite.Image);
        definition.Should().NotBeNull();
        var linux = definition!.GetColumns("linuximage");
        linux["rootimgdir"].Should().Be(Target.RootImageDirectory);
        linux["pkglist"].Should().Be($"{Target.ListDirectory}/compute.rhels9.4.x86_64.pkglist");
        linux["pkgdir"].Should().Be($"{Target.InstallDirectory}/rhels9.4/x86_64");
        definition.GetColumns("osimage")["synclists"].Should().Be($"{Target.ListDirectory}/compute.synclist");
        foreach (var file in new[] { "kernel", "initrd-stateless.gz", "rootimg.cpio.gz" })
        {
            File.ReadAllBytes($"{Target.RootImageDirectory}/{file}").Should().Equal(File.ReadAllBytes($"{Source.RootImageDirectory}/{file}"));
        }

        File.ReadAllText($"{Target.ListDirectory}/compute.exlist").Should().Be("./usr/share/doc*\n");
        new TreeComparer(ComparisonPresets.Seconds()).AssertEqual($"{Source.RootImageDirectory}/rootimg", $"{Target.RootImageDirectory}/rootimg");
        result.Messages.Should().Equal($"Successfully imported the image {BundleSite.Image}.");
        Directory.EnumerateFileSystemEntries(Target.InstallDirectory).Select(Path.GetFileName).Should().BeEquivalentTo(["netboot", "custom"],
            "the staging directory is removed");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Names_that_are_not_UTF8_travel_byte_for_byte_in_the_tree_and_in_the_packed_rootimg()
    {
        await Source.DefineNetbootImageAsync(withTree: true);
        var tree = $"{Source.RootImageDirectory}/rootimg";
        ByteNameTree.Create(tree);
        await new Xcat.Imaging.Packing.RamdiskPacker().PackToFileAsync(tree, $"{Source.RootImageDirectory}/rootimg.cpio.gz");
        var bundle = await ExportAsync(new ImageExportOptions { IncludeRootImageTree = true });

        await Target.Importer().ImportAsync(bundle);

        var expected = ByteTreeManifest.Capture(tree).Select(Untimed).ToList();
        ByteTreeManifest.Capture($"{Target.RootImageDirectory}/rootimg").Select(Untimed).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        var unpacked = Target.Path("unpacked");
        await new Xcat.Imaging.Packing.RamdiskUnpacker().ExtractAsync($"{Target.RootImageDirectory}/rootimg.cpio.gz", unpacked);
        ByteTreeManifest.Capture(unpacked).Select(Untimed).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());

        // Whole seconds: cpio keeps no more; the allocated blocks depend on the file system, not on the archive.
        static ByteTreeEntry Untimed(ByteTreeEntry entry) => entry with { Mtime = entry.Mtime / 10_000_000, Blocks = 0 };
    }

    [Fact]
    public async Task A_new_profile_without_rootimgdir_places_the_files_where_the_new_definition_derives_them()
    {
        await Source.DefineNetbootImageAsync();
        await Source.Catalog.ApplyAsync(new CatalogChanges().Upsert("linuximage", BundleSite.Key("imagename", BundleSite.Image),
            new Dictionary<string, string?> { ["rootimgdir"] = null }));
        var files = new[] { "kernel", "initrd-stateless.gz", "rootimg.cpio.gz" };
        var original = files.ToDictionary(f => f, f => File.ReadAllBytes($"{Source.RootImageDirectory}/{f}"));
        var bundle = await ExportAsync();

        // Into the same site, as a copy under another profile: xCAT would overwrite the source image's files here.
        await Source.Importer().ImportAsync(bundle, new ImageImportOptions { NewProfile = "compute2" });

        var copy = await Source.Catalog.FindImageAsync("rhels9.4-x86_64-netboot-compute2");
        copy!.LinuxImage.RootImageDirectory.Should().BeNull();
        var directory = copy.GetRootImageDirectory(Source.Site);
        directory.Should().Be($"{Source.InstallDirectory}/netboot/rhels9.4/x86_64/compute2");
        foreach (var file in files)
        {
            File.ReadAllBytes($"{directory}/{file}").Should().Equal(original[file], file);
            File.ReadAllBytes($"{Source.RootImageDirectory}/{file}").Should().Equal(original[file], $"the source image's {file} is untouched");
        }

        Directory.EnumerateFiles(Source.RootImageDirectory, "*.ORIG").Should().BeEmpty();
    }

    [Fact]
    public async Task Existing_files_are_kept_as_ORIG_and_an_older_ORIG_is_replaced()
    {
        await Source.DefineNetbootImageAsync();
        var bundle = await ExportAsync();
        Directory.CreateDirectory(Target.RootImageDirectory);
        File.WriteAllText($"{Target.RootImageDirectory}/kernel", "old kernel");
        File.WriteAllText($"{Target.RootImageDirectory}/kernel.ORIG", "older kernel");

        var result = await Target.Importer().ImportAsync(bundle);

        File.ReadAllText($"{Target.RootImageDirectory}/kernel").Should().Be("kernel bytes\n");
        File.ReadAllText($"{Target.RootImageDirectory}/kernel.ORIG").Should().Be("old kernel");
        result.Images[0].BackedUpPaths.Should().Equal($"{Target.RootImageDirectory}/kernel.ORIG");
        result.Messages.Should().Contain($"  Moving old {Target.RootImageDirectory}/kernel to {Target.RootImageDirectory}/kernel.ORIG.");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task The_man_page_example_of_f_relocates_shipped_list_files_and_the_rootimgdir()
    {
        // imgimport.1.pod: /opt/xcat/share/xcat/netboot/sles/x.pkglist → /install/custom/netboot/sles/compute_new.pkglist,
        // /install/netboot/sles11/ppc64/x/kernel → /install/netboot/sles11/ppc64/compute_new/kernel (spec §2.6).
        var bundle = await XcatMadeBundle.CreateAsync(Target.Root, new Dictionary<string, string>
        {
            ["sles11-ppc64-netboot-x/manifest.xml"] = """
                <?xml version="1.0"?>
                <xcatimage>
                  <kernel>/install/netboot/sles11/ppc64/x/kernel</kernel>
                  <linuximage>
                    <imagename>sles11-ppc64-netboot-x</imagename>
                    <pkglist>/opt/xcat/share/xcat/netboot/sles/x.pkglist</pkglist>
                    <rootimgdir>/install/netboot/sles11/ppc64/x</rootimgdir>
                  </linuximage>
                  <osimage>
                    <imagename>sles11-ppc64-netboot-x</imagename>
                    <imagetype>linux</imagetype>
                    <osarch>ppc64</osarch>
                    <osvers>sles11</osvers>
                    <profile>x</profile>
                    <provmethod>netboot</provmethod>
                  </osimage>
                  <ramdisk>/install/netboot/sles11/ppc64/x/initrd-stateless.gz</ramdisk>
                  <rootimg>/install/netboot/sles11/ppc64/x/rootimg.cpio.gz</rootimg>
                </xcatimage>

                """,
            ["sles11-ppc64-netboot-x/kernel"] = "k",
            ["sles11-ppc64-netboot-x/initrd-stateless.gz"] = "i",
            ["sles11-ppc64-netboot-x/rootimg.cpio.gz"] = "r",
            ["sles11-ppc64-netboot-x/x.pkglist"] = "bash\n",
        });

        var result = await Target.Importer().ImportAsync(bundle, new ImageImportOptions { NewProfile = "compute_new" });

        var install = Target.InstallDirectory;
        var definition = result.Images.Should().ContainSingle().Subject.Definition;
        definition.Name.Should().Be("sles11-ppc64-netboot-compute_new");
        definition.OsImage.Profile.Should().Be("compute_new");
        definition.LinuxImage.PackageLists.Should().Equal($"{install}/custom/netboot/sles/compute_new.pkglist");
        definition.LinuxImage.RootImageDirectory.Should().Be($"{install}/netboot/sles11/ppc64/compute_new");
        File.ReadAllText($"{install}/netboot/sles11/ppc64/compute_new/kernel").Should().Be("k");
        File.ReadAllText($"{install}/custom/netboot/sles/compute_new.pkglist").Should().Be("bash\n");
        result.Images[0].Verified.Should().BeFalse("xCAT bundles carry no checksums");
        (await Target.Catalog.FindImageAsync("sles11-ppc64-netboot-x")).Should().BeNull();
        (await Target.Catalog.FindImageAsync("sles11-ppc64-netboot-compute_new")).Should().NotBeNull();
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_xcat_made_bundle_imports_whatever_the_member_order(bool manifestLast)
    {
        var d = "rhels7.1-x86_64-netboot-compute";
        var bundle = await XcatMadeBundle.CreateAsync(Target.Root, SpecExampleBundle(d, "/install/mydir"), manifestLast ? ManifestLastOrder(d) : null);

        var result = await Target.Importer().ImportAsync(bundle);

        var install = Target.InstallDirectory;
        var definition = result.Images.Should().ContainSingle().Subject.Definition;
        definition.Name.Should().Be(d);
        var linux = definition.GetColumns("linuximage");
        linux["pkglist"].Should().Be($"{install}/custom/netboot/rh/compute.rhels7.x86_64.pkglist", "shipped templates move to custom/");
        linux["exlist"].Should().Be($"{install}/custom/netboot/rh/compute.rhels7.x86_64.exlist");
        linux["postinstall"].Should().Be($"{install}/custom/netboot/rh/compute.rhels7.x86_64.postinstall");
        linux["rootimgdir"].Should().Be($"{install}/netboot/rhels7.1/x86_64/compute");
        linux["pkgdir"].Should().Be($"{install}/rhels7.1/x86_64");
        definition.GetColumns("osimage")["synclists"].Should().Be($"{install}/custom/netboot/compute.synclist");
        File.ReadAllText($"{install}/netboot/rhels7.1/x86_64/compute/rootimg.cpio.gz").Should().Be("r");
        File.ReadAllText($"{install}/custom/netboot/rh/compute.rhels7.x86_64.postinstall").Should().Be("s");
        File.ReadAllText($"{install}/postscripts/myscript1").Should().Be("#!/bin/sh\n");
        File.ReadAllText($"{install}/mydir/a.conf").Should().Be("a\n");
        var stored = await Target.Catalog.FindImageAsync(d);
        stored!.GetColumns("linuximage").Should().Equal(linux);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task A_destination_outside_the_install_directory_is_refused_unless_allowed()
    {
        var d = "rhels7.1-x86_64-netboot-compute";
        var outside = Path.Combine(Target.Outside, "mydir");
        var bundle = await XcatMadeBundle.CreateAsync(Target.Root, SpecExampleBundle(d, outside));
        var before = await Target.SnapshotAsync();

        var refused = () => Target.Importer().ImportAsync(bundle);

        (await refused.Should().ThrowAsync<IOException>()).Which.Message.Should()
            .Contain($"{outside}/a.conf").And.Contain("outside the install directory");
        (await Target.SnapshotAsync()).Should().Be(before);
        var options = new ImageImportOptions();
        options.AllowedDestinations.Add(Target.Outside);
        await Target.Importer().ImportAsync(bundle, options);
        File.ReadAllText(Path.Combine(outside, "a.conf")).Should().Be("a\n");
    }

    [Fact]
    public async Task An_existing_image_is_refused_unless_forced_and_forcing_replaces_the_whole_definition()
    {
        await Source.DefineNetbootImageAsync();
        var bundle = await ExportAsync();
        await Target.DefineNetbootImageAsync();
        var stale = (await Target.Catalog.FindImageAsync(BundleSite.Image))!;
        await Target.Catalog.SaveImageAsync(stale with { LinuxImage = stale.LinuxImage with { Template = "/install/custom/stale.tmpl" } });
        var before = await Target.SnapshotAsync();

        var refused = () => Target.Importer().ImportAsync(bundle);

        (await refused.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage($"The image '{BundleSite.Image}' already exists; use --force to replace it.");
        (await Target.SnapshotAsync()).Should().Be(before);
        await Target.Importer().ImportAsync(bundle, new ImageImportOptions { Force = true });
        var replaced = (await Target.Catalog.FindImageAsync(BundleSite.Image))!;
        replaced.LinuxImage.Template.Should().BeNull("xCAT keeps stale columns (spec §2.7); a forced import replaces the definition");
        File.Exists($"{Target.RootImageDirectory}/kernel.ORIG").Should().BeTrue();
    }

    [Fact]
    public async Task A_failing_catalog_write_rolls_back_every_placed_file_and_ORIG_rename()
    {
        await Source.DefineNetbootImageAsync(withTree: true);
        var bundle = await ExportAsync(new ImageExportOptions { IncludeRootImageTree = true });
        Directory.CreateDirectory(Target.RootImageDirectory);
        File.WriteAllText($"{Target.RootImageDirectory}/kernel", "old kernel");
        File.WriteAllText($"{Target.RootImageDirectory}/kernel.ORIG", "older kernel");
        Directory.CreateDirectory($"{Target.RootImageDirectory}/rootimg/etc");
        File.WriteAllText($"{Target.RootImageDirectory}/rootimg/etc/hostname", "old tree\n");
        var before = await Target.SnapshotAsync();
        var importer = new ImageImporter(new FailingCatalog(Target.Catalog), SiteSettings.Default.WithInstallDirectory(Target.InstallDirectory));

        var act = () => importer.ImportAsync(bundle);

        (await act.Should().ThrowAsync<IOException>()).WithMessage("disk full (simulated)");
        (await Target.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_symbolic_link_inside_the_install_directory_cannot_lead_files_out()
    {
        await Source.DefineNetbootImageAsync();
        var bundle = await ExportAsync();
        Directory.CreateDirectory(Path.Combine(Target.InstallDirectory, "netboot"));
        File.CreateSymbolicLink(Path.Combine(Target.InstallDirectory, "custom"), Target.Outside);
        var before = await Target.SnapshotAsync();

        var act = () => Target.Importer().ImportAsync(bundle);

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().Contain("outside the install directory");
        (await Target.SnapshotAsync()).Should().Be(before);
        Directory.EnumerateFileSystemEntries(Target.Outside).Select(Path.GetFileName).Should().Equal("sentinel");
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("<provmethod>netboot</provmethod>", "", "The 'provmethod' field is not defined in manifest.xml.")]
    [InlineData("<osarch>x86_64</osarch>", "", "The 'osarch' field is not defined in manifest.xml.")]
    [InlineData("<profile>compute</profile>", "<profile>   </profile>", "The 'profile' field is not defined in manifest.xml.")]
    [InlineData("<provmethod>netboot</provmethod>", "<provmethod>boottarget</provmethod>",
        "Importing images with 'provmethod' boottarget is not supported. Hint: install, netboot, statelite, sysclone or raw")]
    [InlineData("  <kernel>/install/netboot/rhels7.1/x86_64/compute/kernel</kernel>\n", "", "The 'kernel' field is not defined in manifest.xml.")]
    [InlineData("/compute/rootimg.cpio.gz</rootimg>", "/compute/rootimg.tar.xz</rootimg>",
        "The bundle lacks 'rhels7.1-x86_64-netboot-compute/rootimg.tar.xz', which the manifest references as rootimg")]
    [InlineData("<src>/tmp/mydir</src>", "<src>/tmp/otherdir</src>", "The bundle lacks the extra '/tmp/otherdir'")]
    public async Task Bad_manifests_are_refused_with_a_clear_message_and_nothing_changes(string find, string replace, string message)
    {
        var d = "rhels7.1-x86_64-netboot-compute";
        var files = SpecExampleBundle(d, "/install/mydir");
        files[$"{d}/manifest.xml"] = files[$"{d}/manifest.xml"].Replace(find, replace, StringComparison.Ordinal);
        var bundle = await XcatMadeBundle.CreateAsync(Target.Root, files);
        var before = await Target.SnapshotAsync();

        var act = () => Target.Importer().ImportAsync(bundle);

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().StartWith(message);
        (await Target.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Install_images_need_their_media_copied_first()
    {
        var d = "rhels9-x86_64-install-compute";
        var files = new Dictionary<string, string>
        {
            [$"{d}/manifest.xml"] = $"""
                <?xml version="1.0"?>
                <xcatimage>
                  <linuximage>
                    <imagename>{d}</imagename>
                    <template>/opt/xcat/share/xcat/install/rh/compute.rhels9.tmpl</template>
                  </linuximage>
                  <media>required</media>
                  <osimage>
                    <imagename>{d}</imagename>
                    <imagetype>linux</imagetype>
                    <osarch>x86_64</osarch>
                    <osvers>rhels9</osvers>
                    <profile>compute</profile>
                    <provmethod>install</provmethod>
                  </osimage>
                </xcatimage>

                """,
            [$"{d}/compute.rhels9.tmpl"] = "# kickstart\n",
        };
        var bundle = await XcatMadeBundle.CreateAsync(Target.Root, files);

        var act = () => Target.Importer().ImportAsync(bundle);

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("This image requires that you first copy media for rhels9-x86_64");
        Directory.CreateDirectory(Path.Combine(Target.InstallDirectory, "rhels9", "x86_64"));
        var result = await Target.Importer().ImportAsync(bundle);
        result.Images[0].Definition.LinuxImage.Template.Should().Be($"{Target.InstallDirectory}/custom/install/rh/compute.rhels9.tmpl");
        File.ReadAllText($"{Target.InstallDirectory}/custom/install/rh/compute.rhels9.tmpl").Should().Be("# kickstart\n");
    }

    [Fact]
    public async Task Postscripts_go_to_the_defined_nodes_without_the_xcatdefaults_ones()
    {
        await Source.DefineNetbootImageAsync();
        await Source.DefineNodesAsync("cn01");
        var bundle = await ExportAsync(new ImageExportOptions { PostScriptsNode = "cn01" });
        await Target.DefineNodesAsync("cn01", "cn02", "cn03");

        var result = await Target.Importer().ImportAsync(bundle, new ImageImportOptions { PostScriptsNodeRange = "cn01,cn02,cn09" });

        result.Messages.Should().Contain("The following nodes will be skipped because they are not in the nodelist table.");
        result.Images[0].PostScriptNodes.Should().Equal("cn01", "cn02");
        var rows = await Target.Catalog.ReadTableAsync("postscripts");
        rows.Single(r => r["node"] == "cn01")["postscripts"].Should().Be("setupntp");
        rows.Single(r => r["node"] == "cn02")["postbootscripts"].Should().Be("mlnxofed");
        rows.Should().NotContain(r => r["node"] == "cn03");
        var before = await Target.SnapshotAsync();
        var none = () => Target.Importer().ImportAsync(bundle, new ImageImportOptions { PostScriptsNodeRange = "cn08,cn09", Force = true });
        (await none.Should().ThrowAsync<ArgumentException>()).WithMessage("The nodes cn08,cn09 are not defined in xCAT DB.*");
        (await Target.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Every_image_of_a_bundle_is_imported_in_one_transaction()
    {
        var a = "rhels7.1-x86_64-netboot-compute";
        var files = SpecExampleBundle(a, "/install/mydir");
        var b = "rhels7.1-x86_64-netboot-service";
        foreach (var (name, content) in SpecExampleBundle(a, "/install/mydir"))
        {
            files[b + name[a.Length..]] = content.Replace("compute", "service", StringComparison.Ordinal);
        }

        files[$"{b}/service.rhels7.x86_64.exlist"] = files[$"{b}/compute.rhels7.x86_64.exlist"];
        files[$"{b}/service.rhels7.x86_64.pkglist"] = files[$"{b}/compute.rhels7.x86_64.pkglist"];
        files[$"{b}/service.rhels7.x86_64.postinstall"] = files[$"{b}/compute.rhels7.x86_64.postinstall"];
        files[$"{b}/service.synclist"] = files[$"{b}/compute.synclist"];
        var bundle = await XcatMadeBundle.CreateAsync(Target.Root, files);

        var result = await Target.Importer().ImportAsync(bundle);

        result.Images.Select(static i => i.Definition.Name).Should().Equal(a, b);
        (await Target.Catalog.GetImagesAsync()).Select(static i => i.Name).Should().Equal(a, b);
        File.ReadAllText($"{Target.InstallDirectory}/netboot/rhels7.1/x86_64/service/kernel").Should().Be("k");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task A_tampered_bundle_is_refused_before_anything_is_placed()
    {
        await Source.DefineNetbootImageAsync();
        var bundle = await ExportAsync();
        var stage = Source.Path("tamper");
        Directory.CreateDirectory(stage);
        (await ExternalTool.RunAsync("tar", ["-xzf", bundle, "-C", stage])).ExitCode.Should().Be(0);
        File.WriteAllText(Path.Combine(stage, BundleSite.Image, "kernel"), "evil kernel\n");
        var tampered = Source.Path("tampered.tgz");
        (await ExternalTool.RunAsync("tar", ["-czf", tampered, "."], stage)).ExitCode.Should().Be(0);
        var before = await Target.SnapshotAsync();

        var act = () => Target.Importer().ImportAsync(tampered);

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().StartWith($"Checksum mismatch for '{BundleSite.Image}/kernel'");
        (await Target.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("not a bundle at all\n", "The bundle is corrupt or not a tar archive")]
    [InlineData("", "The bundle holds no image directory")]
    public async Task Files_that_are_not_bundles_are_refused(string content, string message)
    {
        var bundle = Target.Path("bad.tgz");
        File.WriteAllText(bundle, content);
        var before = await Target.SnapshotAsync();

        var act = () => Target.Importer().ImportAsync(bundle);

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().StartWith(message);
        (await Target.SnapshotAsync()).Should().Be(before);
        (await Target.Importer().Invoking(i => i.ImportAsync(Target.Path("missing.tgz"))).Should().ThrowAsync<FileNotFoundException>())
            .WithMessage($"Cannot find {Target.Path("missing.tgz")}");
    }

    [Fact]
    public async Task A_truncated_bundle_is_refused_and_nothing_changes()
    {
        await Source.DefineNetbootImageAsync(withTree: true);
        var bundle = await ExportAsync(new ImageExportOptions { IncludeRootImageTree = true });
        var bytes = File.ReadAllBytes(bundle);
        var truncated = Source.Path("truncated.tgz");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 20)]);
        var before = await Target.SnapshotAsync();

        var act = () => Target.Importer().ImportAsync(truncated);

        await act.Should().ThrowAsync<InvalidDataException>();
        (await Target.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_cancelled_import_changes_nothing()
    {
        await Source.DefineNetbootImageAsync(withTree: true);
        var bundle = await ExportAsync(new ImageExportOptions { IncludeRootImageTree = true });
        var before = await Target.SnapshotAsync();
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            // Reports are throttled: the first one comes before the first file is placed, the cancellation after it.
            if (p.Stage == ImagingStages.Place)
            {
                cancellation.Cancel();
            }
        });

        var act = () => Target.Importer().ImportAsync(bundle, null, progress, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await Target.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Sysclone_images_of_s390x_travel_as_their_img_files()
    {
        var name = "rhels9.4-s390x-sysclone-compute";
        var directory = $"{Source.InstallDirectory}/sysclone/rhels9.4/s390x/compute";
        Directory.CreateDirectory(directory);
        File.WriteAllText($"{directory}/disk1.img", "one");
        File.WriteAllText($"{directory}/disk2.img", "two");
        File.WriteAllText($"{directory}/notes.txt", "not an image");
        await Source.Catalog.SaveImageAsync(Definitions.ImageDefinition.FromColumns(
            new Dictionary<string, string>
            {
                ["imagename"] = name, ["imagetype"] = "linux", ["provmethod"] = "sysclone", ["profile"] = "compute", ["osvers"] = "rhels9.4", ["osarch"] = "s390x",
            },
            new Dictionary<string, string> { ["imagename"] = name, ["comments"] = "raw" }));
        var bundle = Source.Path("sysclone.tgz");

        var export = await Source.Exporter().ExportAsync(name, bundle);

        export.Manifest.RawImageFiles.Should().Equal($"{directory}/disk1.img", $"{directory}/disk2.img");
        await Target.Importer().ImportAsync(bundle, new ImageImportOptions { NewProfile = "other" });
        File.ReadAllText($"{Target.InstallDirectory}/sysclone/rhels9.4/s390x/other/disk2.img").Should().Be("two");
        (await Target.Catalog.FindImageAsync("rhels9.4-s390x-sysclone-other")).Should().NotBeNull();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task One_member_referenced_under_two_paths_is_placed_at_both()
    {
        var d = "rhels7.1-x86_64-netboot-compute";
        var files = SpecExampleBundle(d, "/install/mydir");
        files[$"{d}/manifest.xml"] = files[$"{d}/manifest.xml"].Replace(
            "<synclists>/install/custom/netboot/compute.synclist</synclists>",
            "<synclists>/install/custom/netboot/compute.synclist,/install/custom/other/compute.synclist</synclists>", StringComparison.Ordinal);
        var bundle = await XcatMadeBundle.CreateAsync(Target.Root, files);

        await Target.Importer().ImportAsync(bundle);

        File.ReadAllText($"{Target.InstallDirectory}/custom/netboot/compute.synclist").Should().Be("y");
        File.ReadAllText($"{Target.InstallDirectory}/custom/other/compute.synclist").Should().Be("y");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Staging_whose_lock_nobody_holds_is_removed_and_locked_staging_is_kept_whatever_its_pid()
    {
        await Source.DefineNetbootImageAsync();
        var bundle = await ExportAsync();
        var install = Target.InstallDirectory;
        var dead = Staging(install, ".xcatimg-import-dead", withLock: true);
        Directory.CreateDirectory(Path.Combine(dead, "bundle", "img"));
        var legacy = Staging(install, ".xcatimg-import-999999999-0123", withLock: false);
        var creating = Staging(install, ".xcatimg-new-0123", withLock: false);

        // Live in another PID namespace or on another host: its PID means nothing here, but its lock is held.
        var foreign = Staging(install, ".xcatimg-import-999999998-4567", withLock: true);
        HostToolGuard.ThrowIfForbidden("flock");
        using var holder = Process.Start("flock", ["-x", Path.Combine(foreign, "lock"), "sleep", "120"]);
        try
        {
            await WaitUntilLockedAsync(Path.Combine(foreign, "lock"));
            var live = Staging(install, ".xcatimg-import-live", withLock: true);
            using var held = new FileStream(Path.Combine(live, "lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None);

            await Target.Importer().ImportAsync(bundle);

            Directory.Exists(dead).Should().BeFalse("its lock was free");
            Directory.Exists(legacy).Should().BeFalse("a staging directory is locked before it gets its name");
            Directory.Exists(creating).Should().BeTrue("one being made has no lock yet");
            Directory.Exists(foreign).Should().BeTrue("another process holds its lock");
            Directory.Exists(live).Should().BeTrue("this process holds its lock");
            Directory.EnumerateDirectories(install, ".xcatimg-import-*").Select(Path.GetFileName).Should().BeEquivalentTo(
                [".xcatimg-import-999999998-4567", ".xcatimg-import-live"], "the import removed its own staging");
        }
        finally
        {
            holder!.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_failed_import_that_created_the_install_directory_removes_only_its_own_entries()
    {
        await Source.DefineNetbootImageAsync();
        var bundle = await ExportAsync();
        var install = Target.Path("fresh-install");
        var concurrent = new InMemoryImageCatalog();

        // While this import waits on its catalog, another import into the same fresh directory succeeds.
        var failing = new FailingCatalog(new InMemoryImageCatalog(),
            () => new ImageImporter(concurrent, SiteSettings.Default.WithInstallDirectory(install)).ImportAsync(bundle, new ImageImportOptions { NewProfile = "other" }));
        var act = () => new ImageImporter(failing, SiteSettings.Default.WithInstallDirectory(install)).ImportAsync(bundle);

        (await act.Should().ThrowAsync<IOException>()).WithMessage("disk full (simulated)");
        (await concurrent.FindImageAsync("rhels9.4-x86_64-netboot-other")).Should().NotBeNull();
        File.ReadAllText($"{install}/netboot/rhels9.4/x86_64/other/kernel").Should().Be("kernel bytes\n", "the concurrent import's files survive");
        File.ReadAllText($"{install}/custom/netboot/rh/other.rhels9.4.x86_64.pkglist").Should().Be("bash\nopenssh\n");
        Directory.Exists($"{install}/netboot/rhels9.4/x86_64/compute").Should().BeFalse("the failed import's own files and directories are gone");
        Directory.EnumerateFiles($"{install}/custom/netboot/rh").Select(Path.GetFileName).Should().OnlyContain(n => n!.StartsWith("other.", StringComparison.Ordinal));
        Directory.EnumerateFileSystemEntries(install, ".xcatimg-*").Should().BeEmpty();

        var alone = Target.Path("fresh-alone");
        var fails = () => new ImageImporter(new FailingCatalog(new InMemoryImageCatalog()), SiteSettings.Default.WithInstallDirectory(alone)).ImportAsync(bundle);
        await fails.Should().ThrowAsync<IOException>();
        Directory.Exists(alone).Should().BeFalse("an install directory the failed import created and left empty is removed");
    }

    [RootFact]
    [Trait("Category", "Interop")]
    public async Task Outside_rootimg_placed_files_lose_set_id_bits_foreign_owners_and_security_attributes_unless_kept()
    {
        var capability = Convert.FromHexString("0100000200200000000000000000000000000000"); // cap_net_raw+ep
        var tar = HostileBundles.Base(HostileBundles.Manifest(HostileBundles.Extra("/a", "/install/x"), ("unpackedrootimg", HostileBundles.Dir + "/rootimg")))
            .Directory("./img/rootimg").Directory("./img/rootimg/bin").Directory("./img/extra/a");
        foreach (var name in new[] { "./img/rootimg/bin/tool", "./img/extra/a/tool" })
        {
            tar.Pax(("SCHILY.xattr.security.capability", capability), ("SCHILY.xattr.user.note", "kept"u8.ToArray()))
                .Entry(name, '0', "tool"u8.ToArray(), mode: 3565, uid: 1234, gid: 5678); // 06755
        }

        var bundle = Target.Path("privileged.tgz");
        File.WriteAllBytes(bundle, tar.ToTgz());

        await Target.Importer().ImportAsync(bundle);

        var tree = $"{Target.InstallDirectory}/netboot/rhels9.4/x86_64/intruder/rootimg/bin/tool";
        var extra = $"{Target.InstallDirectory}/x/tool";
        StatOracle.Read(tree).Should().Match<Unix.UnixFileStatus>(s => (int)s.Mode == 3565 && s.Uid == 1234 && s.Gid == 5678, "inside rootimg/ all is kept");
        ExtendedAttributeOracle.Read(tree).Keys.Should().BeEquivalentTo("security.capability", "user.note");
        StatOracle.Read(extra).Should().Match<Unix.UnixFileStatus>(s => (int)s.Mode == 493 && s.Uid == 0 && s.Gid == 0, "outside, 0755 and root's");
        ExtendedAttributeOracle.Read(extra).Keys.Should().Equal("user.note");

        var options = new ImageImportOptions { Force = true };
        options.Reader.KeepPrivileges = true;
        await Target.Importer().ImportAsync(bundle, options);
        StatOracle.Read(extra).Should().Match<Unix.UnixFileStatus>(s => (int)s.Mode == 3565 && s.Uid == 1234 && s.Gid == 5678, "kept when asked");
        ExtendedAttributeOracle.Read(extra).Keys.Should().BeEquivalentTo("security.capability", "user.note");
    }

    private static string Staging(string install, string name, bool withLock)
    {
        var path = Path.Combine(install, name);
        Directory.CreateDirectory(path);
        if (withLock)
        {
            File.WriteAllText(Path.Combine(path, "lock"), "1@elsewhere\n");
        }

        return path;
    }

    private static async Task WaitUntilLockedAsync(string path)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            try
            {
                using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"flock never took {path}.");
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("<kernel>/install/netboot/rhels7.1/x86_64/compute/kernel</kernel>", "<kernel>/install/netboot/../../etc/cron.d/kernel</kernel>")]
    [InlineData("<kernel>/install/netboot/rhels7.1/x86_64/compute/kernel</kernel>", "<kernel>/etc/cron.d/kernel</kernel>")]
    [InlineData("<kernel>/install/netboot/rhels7.1/x86_64/compute/kernel</kernel>", "<kernel>netboot/kernel</kernel>")]
    [InlineData("<rootimgdir>/install/netboot/rhels7.1/x86_64/compute</rootimgdir>", "<rootimgdir>/var/lib/evil</rootimgdir>")]
    [InlineData("<dest>/install/postscripts</dest>", "<dest>/root/.ssh</dest>")]
    public async Task Manifest_paths_that_leave_the_install_directory_are_refused(string find, string replace)
    {
        var d = "rhels7.1-x86_64-netboot-compute";
        var files = SpecExampleBundle(d, "/install/mydir");
        files[$"{d}/manifest.xml"] = files[$"{d}/manifest.xml"].Replace(find, replace, StringComparison.Ordinal);
        var bundle = await XcatMadeBundle.CreateAsync(Target.Root, files);
        var before = await Target.SnapshotAsync();

        var act = () => Target.Importer().ImportAsync(bundle);

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().Contain("refused");
        (await Target.SnapshotAsync()).Should().Be(before);
    }

    private async Task<string> ExportAsync(ImageExportOptions? options = null)
    {
        var bundle = Source.Path("bundle.tgz");
        await Source.Exporter().ExportAsync(BundleSite.Image, bundle, options);
        return bundle;
    }

    /// <summary>The §1.4 example bundle as xCAT lays it out, with the second extra going to <paramref name="extraDestination"/>.</summary>
    private static Dictionary<string, string> SpecExampleBundle(string d, string extraDestination) => new()
    {
        [$"{d}/manifest.xml"] = SpecExamples.ManifestNetboot.Replace("<dest>/usr/mydir</dest>", $"<dest>{extraDestination}</dest>", StringComparison.Ordinal),
        [$"{d}/kernel"] = "k",
        [$"{d}/initrd-stateless.gz"] = "i",
        [$"{d}/rootimg.cpio.gz"] = "r",
        [$"{d}/compute.rhels7.x86_64.exlist"] = "e",
        [$"{d}/compute.rhels7.x86_64.pkglist"] = "p",
        [$"{d}/compute.rhels7.x86_64.postinstall"] = "s",
        [$"{d}/compute.synclist"] = "y",
        [$"{d}/extra/myscript1"] = "#!/bin/sh\n",
        [$"{d}/extra/tmp/mydir/a.conf"] = "a\n",
    };

    private static string[] ManifestLastOrder(string d) =>
    [
        ".", $"./{d}", $"./{d}/extra", $"./{d}/extra/tmp", $"./{d}/extra/tmp/mydir", $"./{d}/extra/tmp/mydir/a.conf", $"./{d}/extra/myscript1",
        $"./{d}/rootimg.cpio.gz", $"./{d}/kernel", $"./{d}/initrd-stateless.gz", $"./{d}/compute.synclist", $"./{d}/compute.rhels7.x86_64.pkglist",
        $"./{d}/compute.rhels7.x86_64.postinstall", $"./{d}/compute.rhels7.x86_64.exlist", $"./{d}/manifest.xml",
    ];

    private sealed class FailingCatalog(IImageCatalog inner, Func<Task>? meanwhile = null) : IImageCatalog
    {
        public ValueTask<IReadOnlyList<CatalogRow>> ReadTableAsync(string table, CancellationToken cancellationToken = default)
            => inner.ReadTableAsync(table, cancellationToken);

        public async ValueTask ApplyAsync(CatalogChanges changes, CancellationToken cancellationToken = default)
        {
            if (meanwhile is not null)
            {
                await meanwhile();
            }

            throw new IOException("disk full (simulated)");
        }
    }
}
