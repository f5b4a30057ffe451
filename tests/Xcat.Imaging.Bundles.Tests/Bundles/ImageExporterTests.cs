using System.Text;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

public sealed class ImageExporterTests : IDisposable
{
    private readonly BundleSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Netboot_image_is_bundled_in_xcats_layout_with_the_manifest_first_and_checksums_last()
    {
        await _site.DefineNetbootImageAsync();
        var bundle = _site.Path("out", "img.tgz");
        Directory.CreateDirectory(_site.Path("out"));

        var result = await _site.Exporter().ExportAsync(BundleSite.Image, bundle);

        result.BundlePath.Should().Be(bundle);
        var listing = await ExternalTool.RunAsync("tar", ["-tzf", bundle]);
        listing.ExitCode.Should().Be(0, listing.StandardError);
        var d = "./" + BundleSite.Image;
        listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "./", d + "/", d + "/manifest.xml", d + "/kernel", d + "/initrd-stateless.gz", d + "/rootimg.cpio.gz",
            d + "/compute.rhels9.4.x86_64.pkglist", d + "/compute.exlist", d + "/compute.synclist", d + "/SHA256SUMS");
        result.Manifest.Kernel.Should().Be($"{_site.RootImageDirectory}/kernel");
        result.Manifest.Ramdisk.Should().Be($"{_site.RootImageDirectory}/initrd-stateless.gz");
        result.Manifest.RootImage.Should().Be($"{_site.RootImageDirectory}/rootimg.cpio.gz");
        result.Manifest.Media.Should().BeNull();

        var extract = _site.Path("x");
        Directory.CreateDirectory(extract);
        (await ExternalTool.RunAsync("tar", ["-xzf", bundle, "-C", extract])).ExitCode.Should().Be(0);
        var sums = await ExternalTool.RunAsync("sha256sum", ["-c", "SHA256SUMS"], Path.Combine(extract, BundleSite.Image));
        sums.ExitCode.Should().Be(0, sums.Output + sums.StandardError);
        File.ReadAllText(Path.Combine(extract, BundleSite.Image, "compute.exlist")).Should().Be("./usr/share/doc*\n");
        var manifest = ManifestSerializer.Deserialize(File.ReadAllText(Path.Combine(extract, BundleSite.Image, "manifest.xml")));
        manifest.Image.GetColumns("linuximage")["pkglist"].Should().Be($"{_site.ListDirectory}/compute.rhels9.4.x86_64.pkglist");
    }

    [Theory]
    [InlineData(new[] { "rootimg.gz", "rootimg.tar.xz", "rootimg.cpio.gz" }, "rootimg.cpio.gz")]
    [InlineData(new[] { "rootimg.gz", "rootimg.tar.xz", "rootimg.cpio.xz" }, "rootimg.cpio.xz")]
    [InlineData(new[] { "rootimg.gz", "rootimg.tar.xz", "rootimg.tar.gz" }, "rootimg.tar.gz")]
    [InlineData(new[] { "rootimg.gz", "rootimg.tar.xz", "rootimg.sfs" }, "rootimg.tar.xz")]
    [InlineData(new[] { "rootimg.gz", "rootimg.sfs" }, "rootimg.sfs")]
    [InlineData(new[] { "rootimg.gz" }, "rootimg.gz")]
    public async Task The_packed_rootimg_follows_searchcompressedrootimgs_precedence(string[] present, string expected)
    {
        await _site.DefineNetbootImageAsync(rootImageName: present[0]);
        foreach (var name in present.Skip(1))
        {
            BundleSite.WriteGzip($"{_site.RootImageDirectory}/{name}", name);
        }

        var preview = await _site.Exporter().PreviewAsync(BundleSite.Image);

        preview.Manifest.RootImage.Should().Be($"{_site.RootImageDirectory}/{expected}");
    }

    [Fact]
    public async Task Missing_required_fields_are_reported_together_with_xcats_messages()
    {
        await _site.Catalog.SaveImageAsync(new ImageDefinition(new OsImage("bare") { ImageType = "linux" }));

        var act = () => _site.Exporter().PreviewAsync("bare");

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Be(
            "The 'provmethod' field is not set for 'bare' in the osimage table.\n" +
            "The 'profile' field is not set for 'bare' in the osimage table.\n" +
            "The 'osvers' field is not set for 'bare' in the osimage table.\n" +
            "The 'osarch' field is not set for 'bare' in the osimage table.");
    }

    [Fact]
    public async Task Unknown_image_unsupported_provmethod_and_missing_linuximage_row_are_refused()
    {
        await _site.DefineNetbootImageAsync();
        var exporter = _site.Exporter();
        (await exporter.Invoking(e => e.PreviewAsync("nosuch")).Should().ThrowAsync<ArgumentException>())
            .WithMessage("Cannot find image 'nosuch' from the osimage table.*");

        await _site.Catalog.SaveImageAsync(new ImageDefinition(new OsImage("win")
        {
            ImageType = "linux", ProvMethod = "boottarget", Profile = "p", OsVersion = "rhels9.4", OsArch = "x86_64",
        }));
        (await exporter.Invoking(e => e.PreviewAsync("win")).Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("Exporting images with 'provemethod' boottarget is not supported. Hint: install, netboot, statelite, or raw");

        await _site.Catalog.SaveImageAsync(new ImageDefinition(new OsImage("nolinux")
        {
            ImageType = "linux", ProvMethod = "netboot", Profile = "p", OsVersion = "rhels9.4", OsArch = "x86_64",
        }));
        (await exporter.Invoking(e => e.PreviewAsync("nolinux")).Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("Cannot find image 'nolinux' from the linuximage table.");
    }

    [Theory]
    [InlineData("kernel", "Couldn't find kernel (kernel) for  " + BundleSite.Image)]
    [InlineData("initrd-stateless.gz", "Couldn't find ramdisk (initrd-stateless.gz) for  " + BundleSite.Image)]
    [InlineData("rootimg.cpio.gz", "Couldn't find compressed rootimg for " + BundleSite.Image)]
    public async Task Missing_netboot_files_are_errors_with_xcats_messages(string file, string message)
    {
        await _site.DefineNetbootImageAsync();
        File.Delete($"{_site.RootImageDirectory}/{file}");

        var act = () => _site.Exporter().PreviewAsync(BundleSite.Image);

        // xCAT's words, then where the file was looked for.
        (await act.Should().ThrowAsync<FileNotFoundException>()).Which.Message.Should().StartWith(message + " (looked ")
            .And.Contain(_site.RootImageDirectory.TrimEnd('/')).And.NotContain("\n");
    }

    [Fact]
    public async Task Every_missing_file_is_reported_at_once_with_where_it_was_looked_for()
    {
        await _site.DefineNetbootImageAsync();
        File.Delete($"{_site.RootImageDirectory}/kernel");
        File.Delete($"{_site.RootImageDirectory}/initrd-stateless.gz");
        File.Delete($"{_site.ListDirectory}/compute.exlist");
        var options = new ImageExportOptions();
        options.Extras.Add(new BundleExtra(_site.Path("nosuch"), string.Empty));

        var act = () => _site.Exporter().PreviewAsync(BundleSite.Image, options);

        var message = (await act.Should().ThrowAsync<FileNotFoundException>()).Which.Message;
        var directory = _site.RootImageDirectory.TrimEnd('/');
        message.Should().StartWith($"4 files are missing for {BundleSite.Image}: ")
            .And.Contain($"Couldn't find ramdisk (initrd-stateless.gz) for  {BundleSite.Image} (looked for {directory}/initrd-stateless.gz)")
            .And.Contain($"Couldn't find kernel (kernel) for  {BundleSite.Image} (looked for {directory}/kernel)")
            .And.Contain($"Couldn't find file {_site.ListDirectory}/compute.exlist for {BundleSite.Image}.")
            .And.Contain($"Can not find Extra file {_site.Path("nosuch")}.")
            .And.NotContain("\n");
    }

    [Fact]
    public async Task A_missing_list_file_is_an_error_and_the_existing_bundle_is_untouched()
    {
        await _site.DefineNetbootImageAsync();
        File.Delete($"{_site.ListDirectory}/compute.exlist");
        var bundle = _site.Path("img.tgz");
        File.WriteAllText(bundle, "previous bundle");

        var act = () => _site.Exporter().ExportAsync(BundleSite.Image, bundle);

        (await act.Should().ThrowAsync<FileNotFoundException>()).Which.Message
            .Should().Be($"Couldn't find file {_site.ListDirectory}/compute.exlist for {BundleSite.Image}.");
        File.ReadAllText(bundle).Should().Be("previous bundle");
        Directory.EnumerateFileSystemEntries(_site.Root).Select(Path.GetFileName).Should().BeEquivalentTo(["install", "outside", "img.tgz"]);
    }

    [Fact]
    public async Task Two_files_with_one_basename_are_an_error_naming_both()
    {
        var definition = await _site.DefineNetbootImageAsync();
        Directory.CreateDirectory(_site.Path("other"));
        var clash = _site.Path("other", "compute.exlist");
        File.WriteAllText(clash, "other\n");
        await _site.Catalog.SaveImageAsync(definition with { LinuxImage = definition.LinuxImage with { PostInstallScripts = [clash] } });

        var act = () => _site.Exporter().PreviewAsync(BundleSite.Image);

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should()
            .Contain($"{_site.ListDirectory}/compute.exlist").And.Contain(clash).And.Contain("same basename 'compute.exlist'");
    }

    [Fact]
    public async Task A_cancelled_export_leaves_no_bundle_and_no_temp_file()
    {
        await _site.DefineNetbootImageAsync(withTree: true);
        using var cancellation = new CancellationTokenSource();
        var bundle = _site.Path("img.tgz");
        var progress = new SynchronousProgress(_ => cancellation.Cancel());

        var act = () => _site.Exporter().ExportAsync(BundleSite.Image, bundle, new ImageExportOptions { IncludeRootImageTree = true }, progress, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        Directory.EnumerateFileSystemEntries(_site.Root).Select(Path.GetFileName).Should().BeEquivalentTo(["install", "outside"]);
    }

    [Fact]
    public async Task Postscripts_of_a_node_are_the_xcatdefaults_ones_then_the_nodes()
    {
        await _site.DefineNetbootImageAsync();
        await _site.DefineNodesAsync("cn01", "cn02");

        var preview = await _site.Exporter().PreviewAsync(BundleSite.Image, new ImageExportOptions { PostScriptsNode = "cn02" });

        preview.Manifest.PostScripts.Should().Be("syslog,remoteshell,setupntp");
        preview.Manifest.PostBootScripts.Should().Be("otherpkgs,mlnxofed");
        var act = () => _site.Exporter().PreviewAsync(BundleSite.Image, new ImageExportOptions { PostScriptsNode = "cn99" });
        (await act.Should().ThrowAsync<ArgumentException>()).WithMessage("Unable to get postscripts, cn99 is not a valide node.*");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extras_are_stored_as_xcat_stores_them_with_xcats_default_destinations()
    {
        await _site.DefineNetbootImageAsync();
        var script = _site.Path("scripts", "myscript1");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.WriteAllText(script, "#!/bin/sh\n");
        var tree = _site.Path("mydir");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        File.WriteAllText(Path.Combine(tree, "sub", "a.conf"), "a\n");
        var options = new ImageExportOptions();
        options.Extras.Add(new BundleExtra(script, string.Empty));
        options.Extras.Add(new BundleExtra(tree, "/usr/mydir"));
        var bundle = _site.Path("img.tgz");

        var result = await _site.Exporter().ExportAsync(BundleSite.Image, bundle, options);

        result.Manifest.Extras.Should().Equal(new BundleExtra(script, Path.GetDirectoryName(script)!), new BundleExtra(tree, "/usr/mydir"));
        var listing = (await ExternalTool.RunAsync("tar", ["-tzf", bundle])).Output.Split('\n');
        listing.Should().Contain($"./{BundleSite.Image}/extra/myscript1")
            .And.Contain($"./{BundleSite.Image}/extra{tree}/sub/a.conf");
        var missing = new ImageExportOptions();
        missing.Extras.Add(new BundleExtra(_site.Path("nosuch"), string.Empty));
        (await _site.Exporter().Invoking(e => e.PreviewAsync(BundleSite.Image, missing)).Should().ThrowAsync<FileNotFoundException>())
            .WithMessage($"Can not find Extra file {_site.Path("nosuch")}.");
    }

    [Fact]
    public async Task Install_images_find_their_template_and_require_media()
    {
        var share = _site.Path("share");
        Directory.CreateDirectory(Path.Combine(share, "install", "rh"));
        var template = Path.Combine(share, "install", "rh", "compute.rhels9.tmpl");
        File.WriteAllText(template, "# kickstart\n");
        File.WriteAllText(Path.Combine(share, "install", "rh", "compute.tmpl"), "# less specific\n");
        await _site.Catalog.SaveImageAsync(ImageDefinition.FromColumns(
            new Dictionary<string, string>
            {
                ["imagename"] = "rhels9-x86_64-install-compute", ["imagetype"] = "linux", ["provmethod"] = "install",
                ["profile"] = "compute", ["osvers"] = "rhels9", ["osarch"] = "x86_64",
            },
            new Dictionary<string, string> { ["imagename"] = "rhels9-x86_64-install-compute", ["partitionfile"] = "/tmp/p" }));

        var preview = await _site.Exporter().PreviewAsync("rhels9-x86_64-install-compute", new ImageExportOptions { XcatShareDirectory = share });

        preview.Manifest.Media.Should().Be("required");
        preview.Manifest.Image.LinuxImage.Template.Should().Be(template);
        preview.Files.Should().Equal(template);
        preview.Messages.Should().ContainSingle().Which.Should().Contain(template);
        File.Delete(template);
        File.Delete(Path.Combine(share, "install", "rh", "compute.tmpl"));
        (await _site.Exporter().Invoking(e => e.PreviewAsync("rhels9-x86_64-install-compute", new ImageExportOptions { XcatShareDirectory = share }))
            .Should().ThrowAsync<FileNotFoundException>()).WithMessage("Couldn't find install template for rhels9-x86_64-install-compute");
    }

    [Fact]
    public async Task A_netboot_image_without_pkglist_gets_the_one_look_for_file_finds()
    {
        var definition = await _site.DefineNetbootImageAsync();
        await _site.Catalog.SaveImageAsync(definition with { LinuxImage = definition.LinuxImage with { PackageLists = [] } });

        var preview = await _site.Exporter().PreviewAsync(BundleSite.Image);

        // <installdir>/custom/netboot, osvers chopped to 'rh', then <profile>.<osvers>.<arch>.pkglist.
        preview.Manifest.Image.LinuxImage.PackageLists.Should().Equal($"{_site.ListDirectory}/compute.rhels9.4.x86_64.pkglist");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task The_unpacked_tree_is_shipped_on_request()
    {
        await _site.DefineNetbootImageAsync(withTree: true);
        var bundle = _site.Path("img.tgz");

        var result = await _site.Exporter().ExportAsync(BundleSite.Image, bundle, new ImageExportOptions { IncludeRootImageTree = true });

        result.Manifest.UnpackedRootImage.Should().Be($"{_site.RootImageDirectory}/rootimg");
        var extract = _site.Path("x");
        Directory.CreateDirectory(extract);
        (await ExternalTool.RunAsync("tar", ["-xzf", bundle, "-C", extract])).ExitCode.Should().Be(0);
        new TreeComparer(ComparisonPresets.Seconds()).AssertEqual($"{_site.RootImageDirectory}/rootimg", Path.Combine(extract, BundleSite.Image, "rootimg"));
        (await ExternalTool.RunAsync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], Path.Combine(extract, BundleSite.Image))).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Export_to_a_stream_writes_a_bundle_the_reader_verifies()
    {
        await _site.DefineNetbootImageAsync();
        using var stream = new MemoryStream();

        var result = await _site.Exporter().ExportAsync(BundleSite.Image, stream);

        result.BundlePath.Should().BeNull();
        stream.Position = 0;
        await using var reader = new BundleReader(stream);
        var extracted = await reader.ExtractToDirectoryAsync(_site.Path("staging"));
        var image = extracted.Images.Should().ContainSingle().Subject;
        image.Verified.Should().BeTrue();
        ManifestSerializer.SerializeToString(image.Manifest).Should().Be(ManifestSerializer.SerializeToString(result.Manifest));
        Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(image.Path, "kernel"))).Should().Be("kernel bytes\n");
    }
}
