using System.IO.Abstractions;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Exclusion;
using Xcat.Imaging.Internal;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Packing;

[Trait("Category", "Interop")]
public sealed class RamdiskPackerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public RamdiskPackerTests()
    {
        _root = _temp.Combine("rootimg");
        Directory.CreateDirectory(_root);
        SampleTree.Create(_root);
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(CompressionMethod.Gzip, "gzip -dc")]
    [InlineData(CompressionMethod.Zstd, "zstd -dc")]
    [InlineData(CompressionMethod.Xz, "xz -dc")]
    [InlineData(CompressionMethod.None, "cat")]
    public async Task PackToFile_Cpio_ExtractedByGnuCpio_GivesIdenticalTree(CompressionMethod method, string decompress)
    {
        var archive = _temp.Combine("rootimg.cpio");
        var options = new RamdiskPackOptions { Compression = new CompressionOptions { Method = method, Threads = 2, ChunkSize = CompressionOptions.MinimumChunkSize } };
        var result = await new RamdiskPacker().PackToFileAsync(_root, archive, options);

        var dest = _temp.Combine("out");
        Directory.CreateDirectory(dest);
        (await ExternalTool.ShellAsync($"{decompress} '{archive}' | cpio -idm --quiet --no-absolute-filenames", dest)).EnsureSuccess();
        new TreeComparer(ComparisonPresets.GnuCpio()).AssertEqual(_root, dest);
        result.Entries.Should().BeGreaterThan(10);
        (await ExternalTool.ShellAsync("sha256sum -c rootimg.cpio.sha256", _temp.Path)).EnsureSuccess().Output.Should().Contain("rootimg.cpio: OK");
    }

    [Fact]
    public async Task PackToFile_TarGzip_CarriesEveryXattr_ForGnuTar()
    {
        var ping = Path.Combine(_root, "usr", "bin", "ping");
        Directory.CreateDirectory(Path.GetDirectoryName(ping)!);
        await File.WriteAllTextAsync(ping, "#!/bin/sh\n");
        (await ExternalTool.RunAsync("setcap", ["cap_net_raw+ep", ping])).EnsureSuccess();
        (await ExternalTool.RunAsync("setfattr", ["-n", "user.colour", "-v", "blue", ping])).EnsureSuccess();
        var archive = _temp.Combine("rootimg.tar.gz");

        await new RamdiskPacker().PackToFileAsync(_root, archive, new RamdiskPackOptions { Format = ArchiveFormat.Tar });

        var dest = _temp.Combine("out");
        Directory.CreateDirectory(dest);
        (await ExternalTool.RunAsync("tar", ["--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpzf", archive, "-C", dest])).EnsureSuccess();
        (await ExternalTool.RunAsync("getcap", [Path.Combine(dest, "usr", "bin", "ping")])).Output.Should().Contain("cap_net_raw");
        (await ExternalTool.RunAsync("getfattr", ["-n", "user.colour", "--only-values", Path.Combine(dest, "usr", "bin", "ping")])).Output.Should().Be("blue");
        new TreeComparer(ComparisonPresets.TarWithoutSockets()).AssertEqual(_root, dest);
    }

    [Fact]
    public async Task Pack_SameTree_GivesIdenticalBytesWhateverTheThreadCount()
    {
        async Task<byte[]> PackAsync(int threads)
        {
            var output = new MemoryStream();
            await new RamdiskPacker().PackAsync(_root, output, new RamdiskPackOptions
            {
                Compression = new CompressionOptions { Threads = threads, ChunkSize = CompressionOptions.MinimumChunkSize },
            });
            return output.ToArray();
        }

        var one = await PackAsync(1);
        (await PackAsync(2)).Should().Equal(one);
        (await PackAsync(4)).Should().Equal(one);
    }

    [Fact]
    public async Task Pack_WithExlist_DropsExcludedPaths_KeepsReincludedWithTheirParents()
    {
        Directory.CreateDirectory(Path.Combine(_root, "usr", "share", "doc", "pkg"));
        await File.WriteAllTextAsync(Path.Combine(_root, "usr", "share", "doc", "pkg", "README"), "x");
        await File.WriteAllTextAsync(Path.Combine(_root, "usr", "share", "doc", "pkg", "COPYING"), "x");
        Directory.CreateDirectory(Path.Combine(_root, ".statelite"));
        var exclude = ExcludeList.Parse("./usr/share/doc*\n+./usr/share/doc/pkg/COPYING\n");
        var output = new MemoryStream();

        var result = await new RamdiskPacker().PackAsync(_root, output, new RamdiskPackOptions { ExcludeList = exclude, Compression = new CompressionOptions { Method = CompressionMethod.None } });

        output.Position = 0;
        var names = new List<string>();
        await foreach (var entry in new RamdiskInspector().EnumerateEntriesAsync(output))
        {
            names.Add(entry.Name);
        }

        names.Should().ContainInOrder("usr/share/doc", "usr/share/doc/pkg", "usr/share/doc/pkg/COPYING");
        names.Should().NotContain("usr/share/doc/pkg/README").And.NotContain(".statelite").And.OnlyHaveUniqueItems();
        result.ExcludedEntries.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Pack_SiblingsSortingBetweenParentAndChild_AreEachArchivedOnce()
    {
        // find|sort order puts "a-b" between "a" and "a/b" ('-' sorts before '/').
        Directory.CreateDirectory(Path.Combine(_root, "a", "b"));
        Directory.CreateDirectory(Path.Combine(_root, "a-b"));
        await File.WriteAllTextAsync(Path.Combine(_root, "a", "b", "f"), "x");
        var output = new MemoryStream();

        var result = await new RamdiskPacker().PackAsync(_root, output, new RamdiskPackOptions { Compression = new CompressionOptions { Method = CompressionMethod.None } });

        output.Position = 0;
        var names = new List<string>();
        await foreach (var entry in new RamdiskInspector().EnumerateEntriesAsync(output))
        {
            names.Add(entry.Name);
        }

        names.Should().OnlyHaveUniqueItems().And.ContainInOrder("a", "a-b", "a/b", "a/b/f");
        result.ExcludedEntries.Should().Be(0);
        result.Entries.Should().Be(names.Count);
    }

    [Fact]
    public async Task PackImage_ReplacesOlderArchivesOnlyAfterTheNewOneIsComplete()
    {
        var imageDir = _temp.Combine("install", "netboot", "debian12", "x86_64", "compute");
        Directory.CreateDirectory(imageDir);
        Directory.Move(_root, Path.Combine(imageDir, "rootimg"));
        await File.WriteAllTextAsync(Path.Combine(imageDir, "rootimg.gz"), "stale");
        await File.WriteAllTextAsync(Path.Combine(imageDir, "rootimg.cpio.xz"), "stale");
        var image = Netboot();

        var result = await new RamdiskPacker().PackImageAsync(image, SiteSettings.Default.WithInstallDirectory(_temp.Combine("install")), new RamdiskPackOptions { LockDirectory = _temp.Combine("locks") });

        result.ArchivePath.Should().Be(Path.Combine(imageDir, "rootimg.cpio.gz"));
        result.RemovedArchives.Select(Path.GetFileName).Should().BeEquivalentTo(["rootimg.gz", "rootimg.cpio.xz"]);
        Directory.GetFiles(imageDir).Select(Path.GetFileName).Should().BeEquivalentTo(["rootimg.cpio.gz", "rootimg.cpio.gz.sha256"]);
        File.GetUnixFileMode(result.ArchivePath!).Should().Be((UnixFileMode)0b110_100_100);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("{0}/")]
    [InlineData("{0}//")]
    [InlineData("{0}/.")]
    [InlineData("{1}//compute")]
    [InlineData("{1}/./compute")]
    [InlineData("{1}/x/../compute")]
    [InlineData("{1}/x/../x/../compute/")]
    [InlineData("/{0}")]
    public async Task PackImage_AnySpellingOfRootimgdir_KeepsTheArchiveItWrote(string form)
    {
        var imageDir = _temp.Combine("install", "netboot", "debian12", "x86_64", "compute");
        Directory.CreateDirectory(imageDir);
        Directory.CreateDirectory(_temp.Combine("install", "netboot", "debian12", "x86_64", "x"));
        Directory.Move(_root, Path.Combine(imageDir, "rootimg"));
        await File.WriteAllTextAsync(Path.Combine(imageDir, "rootimg.tar.xz"), "stale");
        var rootimgdir = string.Format(System.Globalization.CultureInfo.InvariantCulture, form, imageDir, Path.GetDirectoryName(imageDir));
        var image = Netboot() with { LinuxImage = new LinuxImage { RootImageDirectory = rootimgdir } };

        var result = await new RamdiskPacker().PackImageAsync(image, SiteSettings.Default.WithInstallDirectory(_temp.Combine("install")), new RamdiskPackOptions { LockDirectory = _temp.Combine("locks") });

        var archive = Path.Combine(imageDir, "rootimg.cpio.gz");
        result.ArchivePath.Should().Be(archive);
        result.ChecksumPath.Should().Be(archive + ".sha256");
        result.RemovedArchives.Should().Equal(Path.Combine(imageDir, "rootimg.tar.xz"));
        Directory.GetFiles(imageDir).Select(Path.GetFileName).Should().BeEquivalentTo(["rootimg.cpio.gz", "rootimg.cpio.gz.sha256"]);
        (await File.ReadAllTextAsync(archive + ".sha256")).Should().Be($"{result.Sha256}  rootimg.cpio.gz\n");
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(archive))).Should().Be(result.Sha256);
    }

    [Fact]
    public async Task PackImage_Cancelled_LeavesThePreviousArchiveAndNoTempFile()
    {
        var imageDir = _temp.Combine("install", "netboot", "debian12", "x86_64", "compute");
        Directory.CreateDirectory(imageDir);
        Directory.Move(_root, Path.Combine(imageDir, "rootimg"));
        await File.WriteAllTextAsync(Path.Combine(imageDir, "rootimg.cpio.gz"), "previous");
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(_ => cancellation.Cancel());

        var act = () => new RamdiskPacker().PackImageAsync(Netboot(), SiteSettings.Default.WithInstallDirectory(_temp.Combine("install")), new RamdiskPackOptions { LockDirectory = _temp.Combine("locks") }, progress, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await File.ReadAllTextAsync(Path.Combine(imageDir, "rootimg.cpio.gz"))).Should().Be("previous");
        Directory.GetFiles(imageDir).Select(Path.GetFileName).Should().Equal("rootimg.cpio.gz");
    }

    [Fact]
    public async Task PackImage_WhileLocked_FailsNamingTheHolder()
    {
        var imageDir = _temp.Combine("install", "netboot", "debian12", "x86_64", "compute");
        Directory.CreateDirectory(imageDir);
        Directory.Move(_root, Path.Combine(imageDir, "rootimg"));
        using var held = ImageLock.Acquire(new FileSystem(), _temp.Combine("locks"), Path.Combine(imageDir, "rootimg"));

        var act = () => new RamdiskPacker().PackImageAsync(Netboot(), SiteSettings.Default.WithInstallDirectory(_temp.Combine("install")), new RamdiskPackOptions { LockDirectory = _temp.Combine("locks") });

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().Contain($"process {Environment.ProcessId} running on root image dir");
        Directory.GetFiles(imageDir).Should().BeEmpty();
    }

    [Theory]
    [InlineData("install", "cannot be used to build diskless image")]
    [InlineData(null, "must be specified for the image")]
    public async Task PackImage_WrongDefinition_FailsWithXcatMessage(string? provmethod, string message)
    {
        var image = Netboot();
        image = image with { OsImage = image.OsImage with { ProvMethod = provmethod } };
        var act = () => new RamdiskPacker().PackImageAsync(image, SiteSettings.Default.WithInstallDirectory(_temp.Combine("install")));
        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain(message);
    }

    [Fact]
    public async Task PackImage_MissingRootimg_FailsWithXcatMessage()
    {
        var act = () => new RamdiskPacker().PackImageAsync(Netboot(), SiteSettings.Default.WithInstallDirectory(_temp.Combine("install")));
        (await act.Should().ThrowAsync<DirectoryNotFoundException>()).Which.Message.Should().EndWith("does not exist, run genimage -o debian12 -p compute on a server with matching architecture");
    }

    [Fact]
    public async Task Pack_CpioWithA4GiBFile_IsRefusedBeforeAnyOutput()
    {
        (await ExternalTool.RunAsync("truncate", ["-s", "4G", Path.Combine(_root, "huge.img")])).EnsureSuccess();
        var output = new MemoryStream();
        var act = () => new RamdiskPacker().PackAsync(_root, output);
        (await act.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Contain("huge.img").And.Contain("-m tar");
        output.Length.Should().Be(0);
    }

    [Fact]
    public async Task Unpack_OurCpioAndTar_RestoreTheTree()
    {
        foreach (var format in new[] { ArchiveFormat.Cpio, ArchiveFormat.Tar })
        {
            var archive = _temp.Combine($"a.{format}");
            await new RamdiskPacker().PackToFileAsync(_root, archive, new RamdiskPackOptions { Format = format, Compression = new CompressionOptions { Method = CompressionMethod.Zstd } });
            var dest = _temp.Combine($"out-{format}");
            var result = await new RamdiskUnpacker().ExtractAsync(archive, dest);
            result.Entries.Should().BeGreaterThan(10);
            new TreeComparer(format == ArchiveFormat.Tar ? ComparisonPresets.TarWithoutSockets() : ComparisonPresets.Seconds()).AssertEqual(_root, dest);
        }
    }

    [Fact]
    public async Task Unpack_Tar_RestoresBinaryXattrs_AndReadsGnuTarArchives()
    {
        var ping = Path.Combine(_root, "usr", "bin", "ping");
        Directory.CreateDirectory(Path.GetDirectoryName(ping)!);
        await File.WriteAllTextAsync(ping, "#!/bin/sh\n");
        (await ExternalTool.RunAsync("setcap", ["cap_net_raw+ep", ping])).EnsureSuccess();
        var ours = _temp.Combine("ours.tar.gz");
        await new RamdiskPacker().PackToFileAsync(_root, ours, new RamdiskPackOptions { Format = ArchiveFormat.Tar });

        await new RamdiskUnpacker().ExtractAsync(ours, _temp.Combine("a"));
        (await ExternalTool.RunAsync("getcap", [_temp.Combine("a", "usr", "bin", "ping")])).Output.Should().Contain("cap_net_raw");
        new TreeComparer(ComparisonPresets.TarWithoutSockets()).AssertEqual(_root, _temp.Combine("a"));

        var gnu = _temp.Combine("gnu.tar.xz");
        (await ExternalTool.ShellAsync($"tar --xattrs --xattrs-include='*' --format=pax -cJf '{gnu}' .", _root)).EnsureSuccess();
        await new RamdiskUnpacker().ExtractAsync(gnu, _temp.Combine("b"));
        (await ExternalTool.RunAsync("getcap", [_temp.Combine("b", "usr", "bin", "ping")])).Output.Should().Contain("cap_net_raw");
        new TreeComparer(ComparisonPresets.TarWithoutSockets()).AssertEqual(_root, _temp.Combine("b"));
    }

    [Fact]
    public async Task Unpack_GarbageOrTruncated_ThrowsInvalidData()
    {
        var archive = _temp.Combine("a.cpio.gz");
        await new RamdiskPacker().PackToFileAsync(_root, archive);
        var bytes = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(archive, bytes[..(bytes.Length / 2)]);
        var truncated = () => new RamdiskUnpacker().ExtractAsync(archive, _temp.Combine("t"));
        await truncated.Should().ThrowAsync<InvalidDataException>();

        await File.WriteAllTextAsync(archive, "this is not an archive at all, not even close to one");
        var garbage = () => new RamdiskUnpacker().ExtractAsync(archive, _temp.Combine("g"));
        await garbage.Should().ThrowAsync<InvalidDataException>();
    }

    private static ImageDefinition Netboot() => new(
        new OsImage("debian12-x86_64-netboot-compute") { ImageType = "linux", ProvMethod = "netboot", OsVersion = "debian12", OsArch = "x86_64", Profile = "compute" });
}
