using System.Runtime.Versioning;
using System.Text;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

[SupportedOSPlatform("linux")]
public sealed class BundleReaderTests : IDisposable
{
    private const string Dir = "/install/netboot/rhels9.4/x86_64/compute";
    private static readonly string s_manifest = ManifestSerializer.SerializeToString(Manifest("img"));
    private readonly TempDirectory _temp = new();
    private readonly string _stage;
    private readonly string _outside;
    private readonly string _victim;

    public BundleReaderTests()
    {
        _stage = _temp.Combine("stage");
        _outside = _temp.Combine("outside");
        _victim = Path.Combine(_outside, "victim");
        Directory.CreateDirectory(_outside);
        File.WriteAllText(_victim, "untouched");
    }

    public void Dispose() => _temp.Dispose();

    internal static BundleManifest Manifest(string name) => new(ImageDefinition.FromColumns(
        new Dictionary<string, string>
        {
            ["imagename"] = name, ["provmethod"] = "netboot", ["profile"] = "compute", ["osvers"] = "rhels9.4", ["osarch"] = "x86_64", ["imagetype"] = "linux",
        },
        new Dictionary<string, string> { ["imagename"] = name, ["rootimgdir"] = Dir }))
    {
        Kernel = $"{Dir}/kernel",
        Ramdisk = $"{Dir}/initrd-stateless.gz",
    };

    private static TarBuilder Valid() => new TarBuilder().Image("img", s_manifest).File("./img/kernel", "vmlinuz");

    private static string Sums(params (string Name, string Content)[] files)
        => string.Concat(files.Select(f => $"{TarBuilder.Sha256(f.Content)}  {f.Name}\n"));

    private async Task<ExtractedBundle> ExtractAsync(byte[] bundle, BundleReaderOptions? options = null, IProgress<ImagingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        await using var reader = new BundleReader(new MemoryStream(bundle), options);
        return await reader.ExtractToDirectoryAsync(_stage, progress, cancellationToken);
    }

    private async Task<TException> RefusedAsync<TException>(byte[] bundle, string message, BundleReaderOptions? options = null)
        where TException : Exception
    {
        var act = () => ExtractAsync(bundle, options);
        var thrown = (await act.Should().ThrowExactlyAsync<TException>().WithMessage(message)).Which;
        AssertOutsideUntouched();
        return thrown;
    }

    private void AssertOutsideUntouched()
    {
        Directory.EnumerateFileSystemEntries(_temp.Path).Select(Path.GetFileName).Where(n => n != "stage").Should().Equal("outside");
        Directory.EnumerateFileSystemEntries(_outside).Should().Equal(_victim);
        File.ReadAllText(_victim).Should().Be("untouched");
        StatOracle.Read(_victim).LinkCount.Should().Be(1);
    }

    // ---- hostile members ----

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_AbsoluteMember_IsRefused()
    {
        await RefusedAsync<InvalidDataException>(Valid().File("/tmp/xcat-imaging-evil", "x").ToTgz(), "*'/tmp/xcat-imaging-evil'*absolute*");
        File.Exists("/tmp/xcat-imaging-evil").Should().BeFalse();
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("img/../../evil")]
    [InlineData("../outside/evil")]
    [InlineData("./img/../../outside/victim")]
    public async Task Extract_DotDotComponent_IsRefused(string name)
        => await RefusedAsync<InvalidDataException>(Valid().File(name, "x").ToTgz(), "*'..' component*");

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("/etc")]
    [InlineData("../../x")]
    [InlineData("../other-image")]
    [InlineData("sub/../../..")]
    public async Task Extract_SymlinkLeadingOut_IsRefused(string target)
        => await RefusedAsync<InvalidDataException>(Valid().Symlink("./img/link", target).ToTgz(), $"*'img/link'*'{target}'*outside the bundle*");

    [Fact]
    public async Task Extract_SymlinkInsideTheImage_IsKept()
    {
        var bundle = await ExtractAsync(Valid().Symlink("./img/vmlinuz", "kernel").ToTgz());

        File.ResolveLinkTarget(Path.Combine(_stage, "img", "vmlinuz"), returnFinalTarget: false)!.Name.Should().Be("kernel");
        bundle.Images.Should().ContainSingle().Which.Files.Should().BeEquivalentTo("manifest.xml", "kernel");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_SymlinkThenWriteThrough_OutsideTheRootImage_IsRefusedAtTheLink()
        => await RefusedAsync<InvalidDataException>(
            Valid().Symlink("./img/d", _outside).File("./img/d/file", "evil").ToTgz(), "*'img/d'*outside the bundle*");

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_SymlinkThenWriteThrough_InsideTheRootImage_IsRefusedAtTheWrite()
    {
        // Links inside the root image may point anywhere, but nothing is ever written through them.
        var bundle = Valid().Directory("./img/rootimg").Symlink("./img/rootimg/d", _outside).File("./img/rootimg/d/victim", "evil").ToTgz();

        await RefusedAsync<IOException>(bundle, "*'img/rootimg/d/victim'*written through*img/rootimg/d*");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_SymlinkThenWriteThrough_RelativeLink_IsRefusedAtTheWrite()
    {
        var bundle = Valid().Directory("./img/sub").Symlink("./img/d", "sub").File("./img/d/file", "evil").ToTgz();

        await RefusedAsync<IOException>(bundle, "*'img/d/file'*written through*");
        File.Exists(Path.Combine(_stage, "img", "sub", "file")).Should().BeFalse();
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("/etc/passwd", "*absolute*")]
    [InlineData("../outside/victim", "*'..' component*")]
    [InlineData("img/../../outside/victim", "*'..' component*")]
    [InlineData("./img/not-extracted", "*'img/not-extracted'*not been extracted*")]
    [InlineData("./img/missing/file", "*not been extracted*")]
    public async Task Extract_HardLinkToSomethingOutsideOrMissing_IsRefused(string target, string message)
        => await RefusedAsync<IOException>(Valid().HardLink("./img/link", target).ToTgz(), message);

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_HardLinkThroughRootImageSymlink_IsRefused()
    {
        var bundle = Valid().Directory("./img/rootimg").Symlink("./img/rootimg/out", _outside).HardLink("./img/rootimg/link", "./img/rootimg/out/victim").ToTgz();

        await RefusedAsync<IOException>(bundle, "*'img/rootimg/link'*");
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("./img/link", "./img/rootimg/bin/sudo")]
    [InlineData("./img/rootimg/bin/link", "./img/kernel")]
    public async Task Extract_HardLinkAcrossTheRootImageBoundary_IsRefused(string name, string target)
    {
        // A link from outside would carry the root image's set-user-ID file out of it (or strip it in place).
        var bundle = Valid().Directory("./img/rootimg").Directory("./img/rootimg/bin").Entry("./img/rootimg/bin/sudo", '0', "x"u8.ToArray(), mode: 2541)
            .HardLink(name, target).ToTgz();

        await RefusedAsync<InvalidDataException>(bundle, $"The bundle member '{name[2..]}' is a hard link to '{target[2..]}', across the boundary of the unpacked root image; refused.");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_HardLinkInsideTheImage_SharesTheFileAndItsChecksum()
    {
        var tar = Valid().HardLink("./img/kernel2", "./img/kernel")
            .File("./img/SHA256SUMS", Sums(("kernel", "vmlinuz"), ("kernel2", "vmlinuz"), ("manifest.xml", s_manifest)));

        var image = (await ExtractAsync(tar.ToTgz())).Images.Single();

        image.Verified.Should().BeTrue();
        image.Files.Should().BeEquivalentTo("manifest.xml", "kernel", "kernel2");
        StatOracle.Read(Path.Combine(_stage, "img", "kernel2")).Inode.Should().Be(StatOracle.Read(Path.Combine(_stage, "img", "kernel")).Inode);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("./img/null", "*'img/null'*device*")]
    [InlineData("./img/extra/dev/null", "*'img/extra/dev/null'*device*")]
    [InlineData("./null", "*'null'*device*")]
    [InlineData("./img/rootimgx/null", "*device*")]
    public async Task Extract_DeviceOutsideTheRootImage_IsRefused(string name, string message)
    {
        await RefusedAsync<InvalidDataException>(Valid().CharacterDevice(name, 1, 3).ToTgz(), message);
        Directory.Exists(_stage).Should().BeTrue();
        Directory.EnumerateFiles(_stage, "null", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_FifoOutsideTheRootImage_IsRefused()
        => await RefusedAsync<InvalidDataException>(Valid().Fifo("./img/initctl").ToTgz(), "*'img/initctl'*Fifo*");

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_DevicesFifosAndAnyLinksInsideTheRootImage_AreExtracted()
    {
        var tar = Valid().Directory("./img/rootimg").Directory("./img/rootimg/dev").Directory("./img/rootimg/etc")
            .CharacterDevice("./img/rootimg/dev/null", 1, 3)
            .Entry("./img/rootimg/dev/loop0", '4', mode: 432, gid: 6, deviceMajor: 7, deviceMinor: 0)
            .Fifo("./img/rootimg/dev/initctl")
            .Symlink("./img/rootimg/etc/mtab", "/proc/self/mounts")
            .Symlink("./img/rootimg/etc/up", "../../../../..")
            .File("./img/rootimg/etc/hostname", "node01\n", mode: 384, uid: 1234, gid: 5678);

        var image = (await ExtractAsync(tar.ToTgz())).Images.Single();

        var root = Path.Combine(_stage, "img", "rootimg");
        var tree = StatOracle.ReadTree(root);
        tree["dev/null"].Should().Match<UnixFileStatus>(s => s.Type == UnixFileType.CharacterDevice && s.DeviceMajor == 1 && s.DeviceMinor == 3);
        tree["dev/loop0"].Should().Match<UnixFileStatus>(s => s.Type == UnixFileType.BlockDevice && s.DeviceMajor == 7 && s.Gid == 6);
        tree["dev/initctl"].Type.Should().Be(UnixFileType.Fifo);
        tree["etc/hostname"].Should().Match<UnixFileStatus>(s => s.Uid == 1234 && s.Gid == 5678 && (int)s.Mode == 384);
        File.ResolveLinkTarget(Path.Combine(root, "etc", "mtab"), false)!.FullName.Should().Be("/proc/self/mounts");
        image.Files.Should().BeEquivalentTo("manifest.xml", "kernel", "rootimg/etc/hostname");
        AssertOutsideUntouched();
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("./img/rootimg", '2', "/etc")]
    [InlineData("./img/rootimg", '2', "kernel")]
    [InlineData("./img/rootimg", '0', "")]
    [InlineData("./img/rootimg", '3', "")]
    public async Task Extract_RootImageItselfNotADirectory_IsRefused(string name, char type, string target)
        => await RefusedAsync<InvalidDataException>(Valid().Entry(name, type, linkName: target).ToTgz(), "*'img/rootimg'*directory*");

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_HardLinkedFifoAndDeviceInsideTheRootImage_AreLinked()
    {
        // GNU tar and our writer store a second name of any non-directory as a type 1 hard link.
        var tar = Valid().Directory("./img/rootimg").Fifo("./img/rootimg/fifo").HardLink("./img/rootimg/fifo2", "./img/rootimg/fifo")
            .CharacterDevice("./img/rootimg/null", 1, 3).HardLink("./img/rootimg/null2", "./img/rootimg/null");

        var image = (await ExtractAsync(tar.ToTgz())).Images.Single();

        var tree = StatOracle.ReadTree(Path.Combine(_stage, "img", "rootimg"));
        (tree["fifo2"].Type, tree["fifo2"].Inode).Should().Be((UnixFileType.Fifo, tree["fifo"].Inode));
        (tree["null2"].Type, tree["null2"].Inode).Should().Be((UnixFileType.CharacterDevice, tree["null"].Inode));
        image.Files.Should().BeEquivalentTo("manifest.xml", "kernel");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_HardLinkToARootImageDeviceFromOutsideIt_IsRefused()
        => await RefusedAsync<InvalidDataException>(
            Valid().Directory("./img/rootimg").CharacterDevice("./img/rootimg/null", 1, 3).HardLink("./img/null", "./img/rootimg/null").ToTgz(),
            "*'img/null'*device*");

    [Fact]
    public async Task Extract_NamesWithEmptyOrDotComponents_AreVerifiedUnderTheirNormalName()
    {
        var tar = Valid().File("./img//initrd", "i").File("img/./extra/x", "x")
            .File("./img/SHA256SUMS", Sums(("kernel", "vmlinuz"), ("manifest.xml", s_manifest), ("initrd", "i"), ("extra/x", "x")));

        var image = (await ExtractAsync(tar.ToTgz())).Images.Single();

        image.Verified.Should().BeTrue();
        image.Files.Should().BeEquivalentTo("manifest.xml", "kernel", "initrd", "extra/x");
    }

    // ---- limits ----

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_TooManyMembers_IsRefused()
        => await RefusedAsync<InvalidDataException>(Valid().File("./img/a", "a").File("./img/b", "b").ToTgz(), "*more than 4 members*",
            new BundleReaderOptions { MaximumEntries = 4 });

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_MemberAboveMaximumFileSize_IsRefusedBeforeItIsWritten()
    {
        await RefusedAsync<InvalidDataException>(Valid().File("./img/big", new string('x', 1001)).ToTgz(), "*'img/big'*1001 bytes*limit of 1000*",
            new BundleReaderOptions { MaximumFileSize = 1000 });
        File.Exists(Path.Combine(_stage, "img", "big")).Should().BeFalse();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_MembersAboveMaximumTotalSize_AreRefused()
    {
        var tar = Valid().File("./img/a", new string('a', 400)).File("./img/b", new string('b', 400));
        var limit = s_manifest.Length + "vmlinuz".Length + 500;

        await RefusedAsync<InvalidDataException>(tar.ToTgz(), $"*exceed {limit} bytes in total*", new BundleReaderOptions { MaximumTotalSize = limit });
        File.Exists(Path.Combine(_stage, "img", "b")).Should().BeFalse();
    }

    [Fact]
    public async Task Extract_MembersAtTheLimits_AreAccepted()
    {
        var tar = Valid();
        var bytes = tar.ToTar();
        var options = new BundleReaderOptions { MaximumEntries = 4, MaximumFileSize = s_manifest.Length, MaximumTotalSize = s_manifest.Length + 7 };

        var bundle = await ExtractAsync(TarBuilder.Gzip(bytes), options);

        (bundle.Entries, bundle.Bytes).Should().Be((4, s_manifest.Length + 7));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_HugeSizeFieldWithoutData_IsTruncatedNotAllocated()
        => await RefusedAsync<InvalidDataException>(
            TarBuilder.Gzip(Valid().Entry("./img/huge", '0', size: 1L << 40).ToTarWithoutEnd()), "*'img/huge'*");

    // ---- broken input ----

    private static byte[] ValidBundleWithRandomData()
    {
        var data = new byte[200_000];
        new Random(7).NextBytes(data);
        return Valid().File("./img/rootimg.cpio.gz", data).ToTgz();
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public async Task Extract_TruncatedGzip_IsInvalidData(double fraction)
    {
        var bundle = ValidBundleWithRandomData();

        await RefusedAsync<InvalidDataException>(bundle[..(int)(bundle.Length * fraction)], "*bundle*");
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(11)]
    public async Task Extract_GzipCutAtTheEnd_IsInvalidData(int cut)
    {
        // The last bytes are the CRC-32 and ISIZE trailer, after all tar data: only the trailer check sees this.
        var bundle = Valid().ToTgz();

        await RefusedAsync<InvalidDataException>(bundle[..^cut], "*bundle*");
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(30)]
    public async Task Extract_GzipCutNearTheStart_IsInvalidData(int length)
        => await RefusedAsync<InvalidDataException>(ValidBundleWithRandomData()[..length], "*bundle*");

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(0.5)]
    [InlineData(0.25)]
    [InlineData(0.75)]
    public async Task Extract_CorruptedGzip_IsInvalidData(double where)
    {
        var bundle = ValidBundleWithRandomData();
        bundle[(int)(bundle.Length * where)] ^= 0x55;

        await RefusedAsync<InvalidDataException>(bundle, "*bundle*");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_CorruptedCrc_IsInvalidData()
    {
        var bundle = Valid().ToTgz();
        bundle[^6] ^= 0x01;

        await RefusedAsync<InvalidDataException>(bundle, "*compressed data is corrupt*");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_RandomBytes_AreInvalidData()
    {
        var bytes = new byte[10_000];
        new Random(3).NextBytes(bytes);
        bytes[0] = 0x42; // not a compression magic

        await RefusedAsync<InvalidDataException>(bytes, "*not a tar archive*");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_PlainTextFile_IsInvalidData()
        => await RefusedAsync<InvalidDataException>(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("this is not a bundle\n", 100))), "*not a tar archive*");

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_ShortTextFile_IsInvalidData()
        => await RefusedAsync<InvalidDataException>("hello\n"u8.ToArray(), "*bundle*");

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_EmptyFile_IsInvalidData()
        => await RefusedAsync<InvalidDataException>([], "*empty*");

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_EmptyTar_IsInvalidData()
        => await RefusedAsync<InvalidDataException>(new TarBuilder().ToTgz(), "*empty*");

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_GzipOfNonTarData_IsInvalidData()
        => await RefusedAsync<InvalidDataException>(TarBuilder.Gzip(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("not tar ", 500)))), "*not a tar archive*");

    [Fact]
    public async Task Extract_PlainTar_IsAccepted()
    {
        var bundle = await ExtractAsync(Valid().ToTar());

        bundle.Images.Should().ContainSingle().Which.Files.Should().BeEquivalentTo("manifest.xml", "kernel");
        File.ReadAllText(Path.Combine(_stage, "img", "kernel")).Should().Be("vmlinuz");
    }

    // ---- manifests ----

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_TopLevelDirectoryWithoutManifest_IsInvalidData()
        => await RefusedAsync<InvalidDataException>(Valid().Directory("./other").File("./other/kernel", "k").ToTgz(),
            "Failed to find manifest.xml file in image bundle*'other'*");

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_TopLevelRegularFile_IsInvalidData()
        => await RefusedAsync<InvalidDataException>(Valid().File("./README", "hi").ToTgz(), "Failed to find manifest.xml file in image bundle*'README'*");

    [Fact]
    public async Task Extract_TopLevelHiddenEntries_AreIgnoredAsXcatGlobsStar()
        => (await ExtractAsync(Valid().File("./.hidden", "hi").ToTgz())).Images.Select(i => i.DirectoryName).Should().Equal("img");

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("this is not XML")]
    [InlineData("<?xml version=\"1.0\"?>\n<other/>\n")]
    [InlineData("<?xml version=\"1.0\"?>\n<!DOCTYPE xcatimage [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<xcatimage><osimage><imagename>&e;</imagename></osimage></xcatimage>\n")]
    [InlineData("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<xcatimage><osimage><imagename>&b;</imagename></osimage></xcatimage>\n")]
    public async Task Extract_InvalidManifest_IsInvalidData(string xml)
    {
        var thrown = await RefusedAsync<InvalidDataException>(new TarBuilder().Image("img", xml).ToTgz(), "invalid manifest.xml file inside the bundle ('img')*");
        thrown.Message.Should().NotContain("root:");
    }

    // ---- SHA256SUMS ----

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_ChecksumsMatch_IsVerified()
    {
        var tar = Valid().File("./img/SHA256SUMS", Sums(("kernel", "vmlinuz"), ("manifest.xml", s_manifest)));

        var image = (await ExtractAsync(tar.ToTgz())).Images.Single();

        image.Verified.Should().BeTrue();
        image.Files.Should().BeEquivalentTo("manifest.xml", "kernel");
        (await ExternalTool.ShellAsync("sha256sum -c --strict SHA256SUMS", Path.Combine(_stage, "img"))).EnsureSuccess();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_ChecksumMismatch_IsInvalidData()
    {
        var tar = Valid().File("./img/SHA256SUMS", Sums(("kernel", "tampered"), ("manifest.xml", s_manifest)));

        await RefusedAsync<InvalidDataException>(tar.ToTgz(), $"Checksum mismatch for 'img/kernel'*{TarBuilder.Sha256("tampered")}*{TarBuilder.Sha256("vmlinuz")}*");
    }

    [Fact]
    public async Task Extract_ChecksumsBeforeTheFiles_StillVerify()
    {
        var tar = new TarBuilder().Directory("./").Directory("./img")
            .File("./img/SHA256SUMS", Sums(("kernel", "vmlinuz"), ("manifest.xml", s_manifest)))
            .File("./img/kernel", "vmlinuz").File("./img/manifest.xml", s_manifest);

        (await ExtractAsync(tar.ToTgz())).Images.Single().Verified.Should().BeTrue();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_MemberNotCoveredByChecksums_IsInvalidData()
    {
        var tar = Valid().File("./img/extra/evil.sh", "rm -rf /").File("./img/SHA256SUMS", Sums(("kernel", "vmlinuz"), ("manifest.xml", s_manifest)));

        await RefusedAsync<InvalidDataException>(tar.ToTgz(), "*'img/extra/evil.sh' is not covered by SHA256SUMS*");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_ChecksumsListAMissingFile_IsInvalidData()
    {
        var tar = Valid().File("./img/SHA256SUMS", Sums(("kernel", "vmlinuz"), ("manifest.xml", s_manifest), ("initrd.gz", "x")));

        await RefusedAsync<InvalidDataException>(tar.ToTgz(), "The bundle lacks 'img/initrd.gz', which SHA256SUMS lists.");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_ChecksumsListADirectory_IsInvalidData()
    {
        var tar = Valid().Directory("./img/extra").File("./img/SHA256SUMS", Sums(("kernel", "vmlinuz"), ("manifest.xml", s_manifest), ("extra", "")));

        await RefusedAsync<InvalidDataException>(tar.ToTgz(), "The bundle lacks 'img/extra'*");
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("not a checksum line\n", "*SHA256SUMS, line 1, is not a sha256sum line*")]
    [InlineData("0123  kernel\n", "*line 1, is not a sha256sum line*")]
    [InlineData("{0}  kernel\n{0}  kernel\n", "*SHA256SUMS lists 'kernel' twice*")]
    [InlineData("{0} kernel\n", "*line 1, is not a sha256sum line*")]
    [InlineData("\\{0}  ker\\qnel\n", "*unknown escape*")]
    public async Task Extract_MalformedChecksums_AreInvalidData(string sums, string message)
    {
        var tar = Valid().File("./img/SHA256SUMS", string.Format(System.Globalization.CultureInfo.InvariantCulture, sums, TarBuilder.Sha256("vmlinuz")));

        await RefusedAsync<InvalidDataException>(tar.ToTgz(), message);
    }

    [Fact]
    public async Task Extract_ChecksumsInBinaryModeAndUppercase_AreAccepted()
    {
        var sums = $"{TarBuilder.Sha256("vmlinuz").ToUpperInvariant()} *kernel\n{TarBuilder.Sha256(s_manifest)}  manifest.xml\n";

        (await ExtractAsync(Valid().File("./img/SHA256SUMS", sums).ToTgz())).Images.Single().Verified.Should().BeTrue();
    }

    [Fact]
    public async Task Extract_EscapedNameInChecksums_IsVerified()
    {
        var tar = Valid().File("./img/a\\b", "x").File("./img/SHA256SUMS",
            Sums(("kernel", "vmlinuz"), ("manifest.xml", s_manifest)) + $"\\{TarBuilder.Sha256("x")}  a\\\\b\n");

        (await ExtractAsync(tar.ToTgz())).Images.Single().Files.Should().Contain("a\\b");
    }

    // ---- usage ----

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_IntoNonEmptyDirectory_IsIOException()
    {
        Directory.CreateDirectory(_stage);
        File.WriteAllText(Path.Combine(_stage, "leftover"), "x");

        await RefusedAsync<IOException>(Valid().ToTgz(), "*not empty*");
        Directory.EnumerateFileSystemEntries(_stage).Should().ContainSingle();
    }

    [Fact]
    public async Task Extract_IntoExistingEmptyDirectory_Works()
    {
        Directory.CreateDirectory(_stage);

        (await ExtractAsync(Valid().ToTgz())).Images.Should().ContainSingle();
    }

    [Fact]
    public async Task Extract_Twice_IsInvalidOperation()
    {
        await using var reader = new BundleReader(new MemoryStream(Valid().ToTgz()));
        await reader.ExtractToDirectoryAsync(_stage);

        var act = () => reader.ExtractToDirectoryAsync(_temp.Combine("second"));

        await act.Should().ThrowExactlyAsync<InvalidOperationException>().WithMessage("*once*");
        Directory.Exists(_temp.Combine("second")).Should().BeFalse();
    }

    [Fact]
    public async Task Extract_NonSeekableSource_Works()
    {
        var progress = new SynchronousProgress();
        await using var reader = new BundleReader(new NonSeekableStream(new MemoryStream(ValidBundleWithRandomData()), maxReadSize: 1000));

        var bundle = await reader.ExtractToDirectoryAsync(_stage, progress);

        bundle.Images.Single().Files.Should().BeEquivalentTo("manifest.xml", "kernel", "rootimg.cpio.gz");
        progress.Reports.Should().NotBeEmpty().And.OnlyContain(r => r.BytesTotal == null);
    }

    [Fact]
    public async Task Extract_ReportsProgress_IncreasingToTheTotal()
    {
        var bytes = ValidBundleWithRandomData();
        var progress = new SynchronousProgress();

        var bundle = await ExtractAsync(bytes, progress: progress);

        progress.Reports.Should().NotBeEmpty();
        progress.Reports.Select(r => r.BytesDone).Should().BeInAscendingOrder();
        progress.Reports.Should().OnlyContain(r => r.BytesTotal == bytes.Length && r.Stage == ImagingStages.Unbundle);
        var last = progress.Reports[^1];
        (last.BytesDone, last.ItemsDone, last.ItemsTotal).Should().Be((bytes.Length, bundle.Entries, bundle.Entries));
    }

    [Fact]
    public async Task Extract_Cancelled_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var act = () => ExtractAsync(ValidBundleWithRandomData(), cancellationToken: cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Extract_CancelledWhileReading_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(_ => cancellation.Cancel());
        await using var reader = new BundleReader(new NonSeekableStream(new MemoryStream(ValidBundleWithRandomData()), maxReadSize: 512));

        var act = () => reader.ExtractToDirectoryAsync(_stage, progress, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    // ---- bundles made by GNU tar, as xCAT makes them ----

    private string XcatStage(params string[] images)
    {
        var stage = _temp.Combine("xcat");
        foreach (var image in images)
        {
            Directory.CreateDirectory(Path.Combine(stage, image, "extra", "install", "postscripts"));
            File.WriteAllText(Path.Combine(stage, image, "manifest.xml"), SpecExamples.ManifestNetboot.Replace("rhels7.1-x86_64-netboot-compute", image, StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(stage, image, "kernel"), "vmlinuz " + image);
            File.WriteAllText(Path.Combine(stage, image, "initrd-stateless.gz"), "initrd");
            File.WriteAllText(Path.Combine(stage, image, "rootimg.cpio.gz"), "rootimg");
            File.WriteAllText(Path.Combine(stage, image, "extra", "install", "postscripts", "myscript1"), "#!/bin/sh\n");
        }

        return stage;
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_GnuTarBundleAsXcatMakesIt_FindsTheImageUnverified()
    {
        var stage = XcatStage("rhels7.1-x86_64-netboot-compute");
        var bundle = _temp.Combine("bundle.tgz");
        (await ExternalTool.RunAsync("tar", ["czf", bundle, "."], stage)).EnsureSuccess();

        var result = await ExtractAsync(await File.ReadAllBytesAsync(bundle));

        var image = result.Images.Should().ContainSingle().Which;
        image.DirectoryName.Should().Be("rhels7.1-x86_64-netboot-compute");
        image.Verified.Should().BeFalse();
        image.Files.Should().BeEquivalentTo("manifest.xml", "kernel", "initrd-stateless.gz", "rootimg.cpio.gz", "extra/install/postscripts/myscript1");
        ManifestSerializer.SerializeToString(image.Manifest).Should().Be(SpecExamples.ManifestNetboot);
        image.Path.Should().Be(Path.Combine(_stage, image.DirectoryName));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_GnuTarBundleWithTwoImages_ListsBothInOrdinalOrder()
    {
        var stage = XcatStage("zeta", "Alpha", "beta");
        var bundle = _temp.Combine("bundle.tgz");
        (await ExternalTool.RunAsync("tar", ["czf", bundle, "."], stage)).EnsureSuccess();

        var result = await ExtractAsync(await File.ReadAllBytesAsync(bundle));

        result.Images.Select(i => i.DirectoryName).Should().Equal("Alpha", "beta", "zeta");
        result.Images.Select(i => i.Manifest.Image.OsImage.ImageName).Should().Equal("Alpha", "beta", "zeta");
        File.ReadAllText(Path.Combine(result.Images[2].Path, "kernel")).Should().Be("vmlinuz zeta");
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("gnu")]
    [InlineData("posix")]
    [InlineData("ustar")]
    public async Task Extract_GnuTarBundleWithLongNames_ExtractsThem(string format)
    {
        var stage = XcatStage("img");
        var longDirectory = Path.Combine(stage, "img", "extra", new string('d', 90), new string('e', 60));
        Directory.CreateDirectory(longDirectory);
        File.WriteAllText(Path.Combine(longDirectory, "file-with-a-long-name.txt"), "long");
        var longFile = format == "ustar" ? null : new string('f', 150);
        if (longFile is not null)
        {
            File.WriteAllText(Path.Combine(stage, "img", "extra", longFile), "very long");
            File.CreateSymbolicLink(Path.Combine(stage, "img", "extra", "link-to-long"), longFile);
        }

        var bundle = _temp.Combine("bundle.tgz");
        (await ExternalTool.RunAsync("tar", [$"--format={format}", "-czf", bundle, "."], stage)).EnsureSuccess();

        var image = (await ExtractAsync(await File.ReadAllBytesAsync(bundle))).Images.Single();

        var relative = $"extra/{new string('d', 90)}/{new string('e', 60)}/file-with-a-long-name.txt";
        image.Files.Should().Contain(relative);
        File.ReadAllText(Path.Combine(image.Path, relative)).Should().Be("long");
        if (longFile is not null)
        {
            File.ReadAllText(Path.Combine(image.Path, "extra", longFile)).Should().Be("very long");
            File.ResolveLinkTarget(Path.Combine(image.Path, "extra", "link-to-long"), false)!.Name.Should().Be(longFile);
        }
    }
}
