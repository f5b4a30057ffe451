using System.IO.Compression;
using System.Text;
using Xcat.Imaging.Bundles.Tests.Bundles;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

/// <summary>
/// The hostile bundles of the bundle tests through <c>xcatimg imgimport</c>: exit 1, one <c>Error:</c> line naming the
/// member or attribute, nothing changed around the install directory, the catalog unchanged and no staging left;
/// and huge bundles checked in a child process under a GC heap cap.
/// </summary>
public sealed class HostileBundleCliTests : IDisposable
{
    private static readonly TreeComparer s_comparer = new(new TreeComparisonOptions
    {
        CompareDirectoryModificationTimes = false,
        Ignore = static path => path.StartsWith("catalog.db", StringComparison.Ordinal),
    });

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [Trait("Category", "Interop")]
    [MemberData(nameof(HostileBundles.Names), MemberType = typeof(HostileBundles))]
    public async Task Imgimport_refuses_a_hostile_bundle_in_one_line_and_changes_nothing(string name)
    {
        var hostile = HostileBundles.Get(name);
        Directory.CreateDirectory(_cli.InstallDir);
        var layout = HostileLayout.Create(_cli.Root, _cli.InstallDir);
        var bundle = Path.Combine(_cli.Root, "hostile.tgz");
        await File.WriteAllBytesAsync(bundle, hostile.Build(layout).ToTgz());
        (await _cli.RunAsync("tabdump", "osimage")).ShouldSucceed();
        var before = s_comparer.Capture(_cli.Root);
        var catalog = await CatalogAsync();

        var result = await _cli.RunAsync("imgimport", bundle);

        result.ExitCode.Should().Be(1);
        result.Error.Should().StartWith("Error: ").And.EndWith("\n").And.Contain(hostile.Message);
        result.Error.Count(static c => c == '\n').Should().Be(1, "the refusal is one line: {0}", result.Error);
        s_comparer.AssertEqual(before, s_comparer.Capture(_cli.Root));
        (await CatalogAsync()).Should().Be(catalog);
        Directory.EnumerateFileSystemEntries(_cli.InstallDir, ".xcatimg-*").Should().BeEmpty();
    }

    [Theory]
    [InlineData(2, "Error: The bundle file name is empty.", "imgimport", "")]
    [InlineData(2, "Error: --allow-dest needs a directory, not an empty string.", "imgimport", "b.tgz", "--allow-dest", "")]
    [InlineData(1, "Error: The new profile '../x' (-f) contains '/'; it must be a single path component.", "imgimport", "b.tgz", "-f", "../x")]
    [InlineData(2, "Error: The image name is empty.", "imgexport", "")]
    [InlineData(2, "Error: The destination is empty.", "imgexport", "img", "")]
    [InlineData(2, "Error: -e needs a source path", "imgexport", "img", "-e", "")]
    [InlineData(2, "Error: -e needs a source path", "imgexport", "img", "-e", ":/install/x")]
    public async Task Empty_and_malformed_paths_are_named_not_reported_as_dotnet_messages(int exitCode, string message, params string[] args)
    {
        await File.WriteAllBytesAsync(Path.Combine(_cli.Root, "b.tgz"), HostileBundles.Base(HostileBundles.Manifest()).ToTgz());

        var result = await _cli.RunAsync(args);

        result.ExitCode.Should().Be(exitCode);
        result.Error.Should().StartWith(message).And.NotContain("The value cannot be");
    }

    [Fact]
    public async Task An_extra_directory_with_links_to_a_directory_travels_and_imports_with_its_links()
    {
        var extra = Path.Combine(_cli.Root, "site-extra");
        Directory.CreateDirectory(Path.Combine(extra, "conf.d"));
        await File.WriteAllTextAsync(Path.Combine(extra, "conf.d", "a.conf"), "a\n");
        File.CreateSymbolicLink(Path.Combine(extra, "current"), "conf.d");
        File.CreateSymbolicLink(Path.Combine(extra, "dangling"), "nothing-here");
        await DefineImageAsync();
        var bundle = Path.Combine(_cli.Root, "b.tgz");
        (await _cli.RunAsync("imgexport", "rhels9.4-x86_64-netboot-hostile", bundle, "-e", $"{extra}:{_cli.InstallDir}/site")).ShouldSucceed();

        (await _cli.RunAsync("imgimport", bundle, "-f", "copy", "--keep-privileges")).ShouldSucceed();

        var placed = Path.Combine(_cli.InstallDir, "site");
        new FileInfo(Path.Combine(placed, "current")).LinkTarget.Should().Be("conf.d");
        new FileInfo(Path.Combine(placed, "dangling")).LinkTarget.Should().Be("nothing-here");
        File.ReadAllText(Path.Combine(placed, "current", "a.conf")).Should().Be("a\n");
    }

    [Fact]
    public async Task A_bundle_of_200000_members_with_their_SHA256SUMS_imports_under_a_small_heap()
    {
        const int Members = 200_000;
        var bundle = Path.Combine(_cli.Root, "many.tgz");
        var empty = TarBuilder.Sha256(string.Empty);
        var sums = new StringBuilder();
        await using (var gzip = new GZipStream(File.Create(bundle), CompressionLevel.Fastest))
        {
            var tar = HostileBundles.Base(HostileBundles.Manifest()).Directory("./img/junk");
            sums.Append(TarBuilder.Sha256(HostileBundles.Manifest())).Append("  manifest.xml\n")
                .Append(TarBuilder.Sha256("k")).Append("  kernel\n").Append(TarBuilder.Sha256("i")).Append("  initrd-stateless.gz\n")
                .Append(TarBuilder.Sha256("r")).Append("  rootimg.cpio.gz\n");
            for (var i = 0; i < Members; i++)
            {
                var name = $"junk/d{i / 1000:D3}/f{i:D6}";
                if (i % 1000 == 0)
                {
                    tar.Directory($"./img/junk/d{i / 1000:D3}");
                    tar.DrainTo(gzip);
                }

                tar.Entry("./img/" + name, '0');
                sums.Append(empty).Append("  ").Append(name).Append('\n');
            }

            tar.File("./img/SHA256SUMS", sums.ToString());
            tar.DrainTo(gzip);
            TarBuilder.WriteEnd(gzip);
        }

        // 80 MiB: the import holds no name per member (the former one needed more than 80 and ran out); creating and
        // removing 200,000 files takes a while on a loaded machine, hence the longer limit.
        var result = await RunHostileAsync(ProcessLimits.Hostile with { HeapBytes = 80L << 20, Timeout = TimeSpan.FromMinutes(6) }, "imgimport", bundle, "-v");

        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Contain("checksums verified");
    }

    [Fact]
    public async Task A_100_MB_SHA256SUMS_is_streamed_under_a_small_heap()
    {
        var padding = 100L << 20;
        var valid = $"{TarBuilder.Sha256(HostileBundles.Manifest())}  manifest.xml\n{TarBuilder.Sha256("k")}  kernel\n"
            + $"{TarBuilder.Sha256("i")}  initrd-stateless.gz\n{TarBuilder.Sha256("r")}  rootimg.cpio.gz\n";
        var good = Path.Combine(_cli.Root, "good.tgz");
        WriteWithHugeSums(good, padding, (byte)'\n', valid);
        var oneLine = Path.Combine(_cli.Root, "one-line.tgz");
        WriteWithHugeSums(oneLine, padding, (byte)'a', string.Empty);

        var accepted = await RunHostileAsync(ProcessLimits.Hostile, "imgimport", good, "-v");
        var refused = await RunHostileAsync(ProcessLimits.Hostile, "imgimport", oneLine, "--force");

        accepted.ExitCode.Should().Be(0, accepted.Error);
        accepted.Out.Should().Contain("checksums verified");
        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Be($"Error: img/SHA256SUMS, line 1, is longer than 8259 bytes; it is not a sha256sum line.\n");
    }

    [Theory]
    [InlineData("mkdef", "evil: profile: '../../x' contains '/'", "-t", "osimage", "-o", "evil", "imagetype=linux", "provmethod=netboot", "osvers=rhels9", "osarch=x86_64", "profile=../../x")]
    [InlineData("mkdef", "The name '..' is '..'", "-t", "osimage", "-o", "..", "imagetype=linux", "provmethod=netboot", "osvers=rhels9", "osarch=x86_64", "profile=compute")]
    [InlineData("chdef", "rhels9.4-x86_64-netboot-hostile: osvers: 'rhels9/../../../victim' contains '/'", "-t", "osimage", "-o", "rhels9.4-x86_64-netboot-hostile", "osvers=rhels9/../../../victim")]
    [InlineData("chdef", "rhels9.4-x86_64-netboot-hostile: profile: 'a\\nb' contains the control character U+000A", "-t", "osimage", "-o", "rhels9.4-x86_64-netboot-hostile", "profile=a\nb")]
    public async Task Mkdef_and_chdef_refuse_names_that_are_not_one_path_component(string verb, string message, params string[] args)
    {
        await DefineImageAsync();
        var before = await CatalogAsync();

        var result = await _cli.RunAsync([verb, .. args]);

        result.ExitCode.Should().Be(1);
        result.Error.Should().StartWith("Error: ").And.Contain(message).And.Contain("single path component");
        result.Error.Count(static c => c == '\n').Should().Be(1);
        (await CatalogAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("osimage", "#imagename,profile,osvers,osarch,provmethod\n\"img\",\"../../x\",\"rhels9\",\"x86_64\",\"netboot\"\n", "osimage attribute 'profile' is '../../x'")]
    [InlineData("osimage", "#imagename,profile,osvers,osarch,provmethod\n\"img\",\"compute\",\"rhels9/..\",\"x86_64\",\"netboot\"\n", "osimage attribute 'osvers'")]
    [InlineData("osimage", "#imagename,profile,osvers,osarch,provmethod\n\"..\",\"compute\",\"rhels9\",\"x86_64\",\"netboot\"\n", "osimage attribute 'imagename' is '..'")]
    [InlineData("linuximage", "#imagename,rootimgdir\n\"a/b\",\"/install/x\"\n", "linuximage attribute 'imagename' is 'a/b'")]
    [InlineData("kit", "#kitname,kitdir\n\"..\",\"/install/kits/x\"\n", "kit attribute 'kitname' is '..'")]
    public async Task Tabrestore_refuses_names_that_are_not_one_path_component(string table, string csv, string message)
    {
        await DefineImageAsync();
        var file = Path.Combine(_cli.Root, table + ".csv");
        await File.WriteAllTextAsync(file, csv);
        var before = await CatalogAsync();

        var result = await _cli.RunAsync("tabrestore", file);

        result.ExitCode.Should().Be(1);
        result.Error.Should().StartWith($"Error: The {message}").And.Contain("single path component").And.EndWith(".\n");
        (await CatalogAsync()).Should().Be(before);
    }

    private static void WriteWithHugeSums(string path, long length, byte fill, string tail)
    {
        var tailBytes = Encoding.UTF8.GetBytes(tail);
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        var tar = HostileBundles.Base(HostileBundles.Manifest()).Entry("./img/SHA256SUMS", '0', size: length + tailBytes.Length);
        tar.DrainTo(gzip);
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, fill);
        for (var written = 0L; written < length; written += chunk.Length)
        {
            gzip.Write(chunk, 0, (int)Math.Min(chunk.Length, length - written));
        }

        gzip.Write(tailBytes);
        gzip.Write(new byte[(512 - ((length + tailBytes.Length) % 512)) % 512]);
        TarBuilder.WriteEnd(gzip);
    }

    private Task<CliResult> RunHostileAsync(ProcessLimits limits, params string[] args) =>
        CliHarness.RunProcessAsync(_cli.Root, limits, ["--catalog", _cli.CatalogPath, "--install-dir", _cli.InstallDir, .. args]);

    private async Task<string> CatalogAsync() =>
        await CatalogSnapshot.TakeAsync(await SqliteImageCatalog.OpenAsync(_cli.CatalogPath));

    private async Task DefineImageAsync()
    {
        var dir = Path.Combine(_cli.InstallDir, "netboot", "rhels9.4", "x86_64", "hostile");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "kernel"), "k");
        await File.WriteAllTextAsync(Path.Combine(dir, "initrd-stateless.gz"), "i");
        await File.WriteAllTextAsync(Path.Combine(dir, "rootimg.cpio.gz"), "r");
        var pkglist = Path.Combine(_cli.InstallDir, "custom", "netboot", "rh", "hostile.pkglist");
        Directory.CreateDirectory(Path.GetDirectoryName(pkglist)!);
        await File.WriteAllTextAsync(pkglist, "bash\n");
        (await _cli.RunAsync("mkdef", "-t", "osimage", "-o", "rhels9.4-x86_64-netboot-hostile", "imagetype=linux", "provmethod=netboot", "profile=hostile",
            "osvers=rhels9.4", "osarch=x86_64", $"pkglist={pkglist}", $"rootimgdir={dir}")).ShouldSucceed();
    }
}
