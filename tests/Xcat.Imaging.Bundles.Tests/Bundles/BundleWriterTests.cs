using System.IO.Compression;
using System.Runtime.Versioning;
using System.Text;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

[SupportedOSPlatform("linux")]
public sealed class BundleWriterTests : IDisposable
{
    private static readonly UnixFileMode s_mode0644 = (UnixFileMode)420;
    private readonly TempDirectory _temp = new();
    private readonly string _files;
    private readonly string _tree;
    private readonly string _bundle;
    private readonly byte[] _initrd;

    public BundleWriterTests()
    {
        _files = _temp.Combine("files");
        _tree = _temp.Combine("tree");
        _bundle = _temp.Combine("bundle.tgz");
        Directory.CreateDirectory(Path.Combine(_files, "postscripts"));
        Directory.CreateDirectory(_tree);
        File.WriteAllText(Path.Combine(_files, "kernel"), "vmlinuz " + new string('k', 10_000));
        File.WriteAllText(Path.Combine(_files, "postscripts", "myscript1"), "#!/bin/sh\necho hi\n");
        var random = new byte[300_000];
        new Random(11).NextBytes(random);
        var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(random);
            gzip.Write(new byte[100_000]);
        }

        _initrd = gz.ToArray();
        File.WriteAllBytes(Path.Combine(_files, "initrd-stateless.gz"), _initrd);
    }

    public void Dispose() => _temp.Dispose();

    private static readonly BundleManifest s_manifest = BundleReaderTests.Manifest("img") with
    {
        UnpackedRootImage = "/install/netboot/rhels9.4/x86_64/compute/rootimg",
        Extras = [new("/install/postscripts/myscript1", "/install/postscripts")],
    };

    private static TreeComparisonOptions TreeOptions(bool extendedAttributes = true) => new()
    {
        ModificationTimeResolution = TimeSpan.FromSeconds(1),
        CompareExtendedAttributes = extendedAttributes,
        Ignore = static path => path == "run/sock",
    };

    /// <summary>Writes the full bundle: manifest, files (one stored .gz), an extra and the sample tree.</summary>
    private async Task WriteFullBundleAsync(BundleWriterOptions? options = null)
    {
        SampleTree.Create(_tree).Should().BeTrue("the tests run as root");
        await using var writer = new BundleWriter(File.Create(_bundle), options);
        await writer.WriteManifestAsync("img", s_manifest);
        await writer.AddFileAsync(Path.Combine(_files, "kernel"), "img/kernel");
        await writer.AddFileAsync(Path.Combine(_files, "initrd-stateless.gz"), "img/initrd-stateless.gz");
        await writer.AddFileAsync(Path.Combine(_files, "postscripts", "myscript1"), "img/extra/install/postscripts/myscript1");
        await writer.AddDirectoryAsync(_tree, "img/rootimg");
        await writer.CompleteAsync();
    }

    private async Task<List<string>> ExpectedMembersAsync(bool checksums = true)
    {
        // find | sort order of the tree, sockets left out (tar cannot hold them), directories with a trailing slash.
        var found = (await ExternalTool.ShellAsync("find . ! -type s -printf '%p\\t%y\\0' | LC_ALL=C sort -z", _tree)).EnsureSuccess().Output;
        var tree = found.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => (Type: line[^1], Name: line[..^2]))
            .Select(e => (e.Name == "." ? "./img/rootimg" : "./img/rootimg/" + e.Name[2..]) + (e.Type == 'd' ? "/" : string.Empty));
        List<string> members =
        [
            "./", "./img/", "./img/manifest.xml", "./img/kernel", "./img/initrd-stateless.gz", "./img/extra/", "./img/extra/install/",
            "./img/extra/install/postscripts/", "./img/extra/install/postscripts/myscript1", .. tree,
        ];
        if (checksums)
        {
            members.Add("./img/SHA256SUMS");
        }

        return members;
    }

    private static async Task<List<string>> ListAsync(string command)
        => (await ExternalTool.ShellAsync("LC_ALL=C.UTF-8 " + command)).EnsureSuccess().Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Write_FullBundle_ListsInXcatOrderWithGnuTarAndBsdtar()
    {
        await WriteFullBundleAsync();
        var expected = await ExpectedMembersAsync();

        (await ExternalTool.RunAsync("gzip", ["-t", _bundle])).EnsureSuccess();
        var gnu = await ListAsync($"tar --quoting-style=literal -tzf '{_bundle}'");
        gnu.Should().Equal(expected);
        gnu.Take(3).Should().Equal("./", "./img/", "./img/manifest.xml");
        gnu[^1].Should().Be("./img/SHA256SUMS");
        var bsd = await ListAsync($"bsdtar -tzf '{_bundle}'");
        bsd.Select(n => n.TrimEnd('/')).Should().Equal(expected.Select(n => n.TrimEnd('/')));

        var verbose = (await ExternalTool.ShellAsync($"LC_ALL=C.UTF-8 tar --numeric-owner -tzvf '{_bundle}'")).EnsureSuccess().Output;
        verbose.Should().Contain("crw------- 0/0").And.Contain("5,1").And.Contain("./img/rootimg/dev/console")
            .And.Contain($"{SampleTree.TestUid}/{SampleTree.TestGid}").And.Contain("./img/rootimg/home/user/notes")
            .And.Contain("prw------- 0/0").And.Contain("-rwsr-xr-x").And.Contain("drwxrwxrwt")
            .And.Contain("./img/rootimg/sbin/init link to ./img/rootimg/bin/busybox")
            .And.Contain("./img/rootimg/lib -> usr/lib");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Write_FullBundle_GnuTarExtractsItAndSha256sumVerifiesIt()
    {
        await WriteFullBundleAsync();
        var output = _temp.Combine("gnu");
        Directory.CreateDirectory(output);

        (await ExternalTool.RunAsync("tar", ["--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpzf", _bundle, "-C", output])).EnsureSuccess();

        (await ExternalTool.ShellAsync("sha256sum -c --strict --quiet SHA256SUMS", Path.Combine(output, "img"))).EnsureSuccess();
        new TreeComparer(TreeOptions()).AssertEqual(_tree, Path.Combine(output, "img", "rootimg"));
        File.ReadAllBytes(Path.Combine(output, "img", "initrd-stateless.gz")).Should().Equal(_initrd);
        File.ReadAllText(Path.Combine(output, "img", "manifest.xml")).Should().Be(ManifestSerializer.SerializeToString(s_manifest));
        var sums = File.ReadAllLines(Path.Combine(output, "img", "SHA256SUMS"));
        sums.Should().Contain(l => l.EndsWith("  rootimg/" + SampleTree.TripleLink[2], StringComparison.Ordinal))
            .And.Contain(l => l.EndsWith("  extra/install/postscripts/myscript1", StringComparison.Ordinal))
            .And.NotContain(l => l.EndsWith("  SHA256SUMS", StringComparison.Ordinal));
        sums.Select(l => l[66..]).Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Write_FullBundle_BsdtarExtractsIt()
    {
        await WriteFullBundleAsync();
        var output = _temp.Combine("bsd");
        Directory.CreateDirectory(output);

        (await ExternalTool.RunAsync("bsdtar", ["--numeric-owner", "-xpzf", _bundle, "-C", output])).EnsureSuccess();

        (await ExternalTool.ShellAsync("sha256sum -c --strict --quiet SHA256SUMS", Path.Combine(output, "img"))).EnsureSuccess();
        new TreeComparer(TreeOptions()).AssertEqual(_tree, Path.Combine(output, "img", "rootimg"));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Write_FullBundle_BundleReaderReadsItBack()
    {
        await WriteFullBundleAsync();
        var stage = _temp.Combine("stage");

        await using var reader = new BundleReader(File.OpenRead(_bundle));
        var bundle = await reader.ExtractToDirectoryAsync(stage);

        var image = bundle.Images.Should().ContainSingle().Which;
        image.DirectoryName.Should().Be("img");
        image.Verified.Should().BeTrue();
        ManifestSerializer.SerializeToString(image.Manifest).Should().Be(ManifestSerializer.SerializeToString(s_manifest));
        var treeFiles = (await ExternalTool.ShellAsync("find . -type f -printf '%P\\0'", _tree)).EnsureSuccess().Output
            .Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(f => "rootimg/" + f);
        image.Files.Should().BeEquivalentTo(["manifest.xml", "kernel", "initrd-stateless.gz", "extra/install/postscripts/myscript1", .. treeFiles]);
        new TreeComparer(TreeOptions()).AssertEqual(_tree, Path.Combine(stage, "img", "rootimg"));
        File.ReadAllBytes(Path.Combine(stage, "img", "initrd-stateless.gz")).Should().Equal(_initrd);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Write_TreeWithHardLinkedFifoAndDevice_RoundTripsThroughGnuTarAndBundleReader()
    {
        HostCommand.Run("sh", "-c", $"cd '{_tree}' && mkfifo fifo && ln fifo fifo2 && mknod null c 1 3 && ln null null2 && echo x > f && ln f f2 && chown 1234:5678 f");
        await using (var writer = new BundleWriter(File.Create(_bundle)))
        {
            await writer.WriteManifestAsync("img", s_manifest);
            await writer.AddDirectoryAsync(_tree, "img/rootimg");
            await writer.CompleteAsync();
        }

        var output = _temp.Combine("gnu");
        Directory.CreateDirectory(output);
        (await ExternalTool.RunAsync("tar", ["--numeric-owner", "-xpzf", _bundle, "-C", output])).EnsureSuccess();
        new TreeComparer(TreeOptions(extendedAttributes: false)).AssertEqual(_tree, Path.Combine(output, "img", "rootimg"));
        await using var reader = new BundleReader(File.OpenRead(_bundle));
        var image = (await reader.ExtractToDirectoryAsync(_temp.Combine("stage"))).Images.Single();
        image.Verified.Should().BeTrue();
        image.Files.Should().BeEquivalentTo("manifest.xml", "rootimg/f", "rootimg/f2");
        new TreeComparer(TreeOptions()).AssertEqual(_tree, Path.Combine(_temp.Combine("stage"), "img", "rootimg"));
    }

    [Fact]
    public async Task Write_CompressedMember_IsStoredNotDeflatedAgain()
    {
        // Gzip magic followed by a megabyte of zeros: deflated again it would shrink to almost nothing.
        var fake = new byte[1 << 20];
        fake[0] = 0x1F;
        fake[1] = 0x8B;
        var path = Path.Combine(_files, "fake.gz");
        File.WriteAllBytes(path, fake);

        var stored = await WriteSingleFileAsync(path, new BundleWriterOptions());
        var deflated = await WriteSingleFileAsync(path, new BundleWriterOptions { StoreCompressedMembers = false });

        stored.Length.Should().BeInRange(fake.Length, fake.Length + 64 * 1024);
        deflated.Length.Should().BeLessThan(64 * 1024);
        foreach (var bundle in new[] { stored, deflated })
        {
            var stage = _temp.Combine("stage-" + bundle.Length);
            await using var reader = new BundleReader(new MemoryStream(bundle));
            var image = (await reader.ExtractToDirectoryAsync(stage)).Images.Single();
            image.Verified.Should().BeTrue();
            File.ReadAllBytes(Path.Combine(stage, "img", "fake.gz")).Should().Equal(fake);
        }
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_RealGzipMember_KeepsTheBundleAboutItsSizeAndRoundTrips(bool store)
    {
        var bundle = await WriteSingleFileAsync(Path.Combine(_files, "initrd-stateless.gz"), new BundleWriterOptions { StoreCompressedMembers = store });
        await File.WriteAllBytesAsync(_bundle, bundle);

        // Stored, the bundle is the member plus headers; deflated again, gzip -6 squeezes a little out of -1's output.
        bundle.Length.Should().BeInRange(store ? _initrd.Length : _initrd.Length * 9 / 10, _initrd.Length + 16 * 1024);
        (await ExternalTool.RunAsync("gzip", ["-t", _bundle])).EnsureSuccess();
        var output = _temp.Combine("out");
        Directory.CreateDirectory(output);
        (await ExternalTool.RunAsync("tar", ["-xzf", _bundle, "-C", output])).EnsureSuccess();
        File.ReadAllBytes(Path.Combine(output, "img", "fake.gz")).Should().Equal(_initrd);
        (await ExternalTool.RunAsync("gzip", ["-t", Path.Combine(output, "img", "fake.gz")])).EnsureSuccess();
        (await ExternalTool.ShellAsync("sha256sum -c --strict --quiet SHA256SUMS", Path.Combine(output, "img"))).EnsureSuccess();
    }

    private async Task<byte[]> WriteSingleFileAsync(string path, BundleWriterOptions options)
    {
        var output = new MemoryStream();
        await using (var writer = new BundleWriter(output, options, leaveOpen: true))
        {
            await writer.WriteManifestAsync("img", s_manifest);
            await writer.AddFileAsync(path, "img/fake.gz");
            await writer.CompleteAsync();
        }

        return output.ToArray();
    }

    // ---- errors ----

    [Fact]
    public async Task Add_DuplicateMember_IsIOException()
    {
        await using var writer = new BundleWriter(new MemoryStream());
        await writer.WriteManifestAsync("img", s_manifest);
        await writer.AddDataAsync("img/extra/a", "a"u8.ToArray(), s_mode0644);

        await FluentActions.Awaiting(() => writer.AddDataAsync("img/extra/a", "b"u8.ToArray(), s_mode0644))
            .Should().ThrowExactlyAsync<IOException>().WithMessage("*'img/extra/a'*");
        await FluentActions.Awaiting(() => writer.AddDataAsync("./img/extra/a", "b"u8.ToArray(), s_mode0644))
            .Should().ThrowExactlyAsync<IOException>().WithMessage("*'img/extra/a'*");
        await FluentActions.Awaiting(() => writer.AddFileAsync(Path.Combine(_files, "kernel"), "img/extra"))
            .Should().ThrowExactlyAsync<IOException>().WithMessage("*'img/extra'*");
        await FluentActions.Awaiting(() => writer.WriteManifestAsync("img", s_manifest))
            .Should().ThrowExactlyAsync<IOException>().WithMessage("*'img/manifest.xml'*");
        await FluentActions.Awaiting(() => writer.AddDirectoryAsync(_files, "img/extra"))
            .Should().ThrowExactlyAsync<IOException>().WithMessage("*'img/extra'*");
    }

    [Fact]
    public async Task AddDirectory_OverAnExistingMember_IsIOException()
    {
        Directory.CreateDirectory(Path.Combine(_tree, "sub"));
        File.WriteAllText(Path.Combine(_tree, "sub", "kernel"), "x");
        await using var writer = new BundleWriter(new MemoryStream());
        await writer.AddDataAsync("img/rootimg/sub/kernel", "a"u8.ToArray(), s_mode0644);

        await FluentActions.Awaiting(() => writer.AddDirectoryAsync(_tree, "img/rootimg"))
            .Should().ThrowExactlyAsync<IOException>().WithMessage("*'img/rootimg'*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("/img/kernel")]
    [InlineData("img/../kernel")]
    [InlineData("../kernel")]
    [InlineData("img/./kernel")]
    [InlineData("img//kernel")]
    [InlineData("img/")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("..")]
    public async Task Add_BadEntryName_IsArgumentException(string name)
    {
        await using var writer = new BundleWriter(new MemoryStream());

        await FluentActions.Awaiting(() => writer.AddDataAsync(name, "a"u8.ToArray(), s_mode0644)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => writer.AddFileAsync(Path.Combine(_files, "kernel"), name)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => writer.AddDirectoryAsync(_files, name)).Should().ThrowAsync<ArgumentException>();
        writer.Entries.Should().Be(0);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("")]
    public async Task WriteManifest_BadDirectoryName_IsArgumentException(string name)
    {
        await using var writer = new BundleWriter(new MemoryStream());

        await FluentActions.Awaiting(() => writer.WriteManifestAsync(name, s_manifest)).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Add_AfterComplete_IsInvalidOperation()
    {
        await using var writer = new BundleWriter(new MemoryStream());
        await writer.WriteManifestAsync("img", s_manifest);
        await writer.CompleteAsync();

        await FluentActions.Awaiting(() => writer.AddDataAsync("img/a", "a"u8.ToArray(), s_mode0644)).Should().ThrowExactlyAsync<InvalidOperationException>();
        await FluentActions.Awaiting(() => writer.AddFileAsync(Path.Combine(_files, "kernel"), "img/kernel")).Should().ThrowExactlyAsync<InvalidOperationException>();
        await FluentActions.Awaiting(() => writer.AddDirectoryAsync(_files, "img/files")).Should().ThrowExactlyAsync<InvalidOperationException>();
        await FluentActions.Awaiting(() => writer.WriteManifestAsync("img2", s_manifest)).Should().ThrowExactlyAsync<InvalidOperationException>();
        await writer.CompleteAsync(); // a second completion does nothing
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task AddFile_SourceNotARegularFile_IsFileNotFoundAndLeavesTheNameFree()
    {
        HostCommand.Run("mkfifo", Path.Combine(_files, "fifo"));
        File.CreateSymbolicLink(Path.Combine(_files, "link-to-kernel"), "kernel");
        File.CreateSymbolicLink(Path.Combine(_files, "dangling"), "nothing");
        var output = new MemoryStream();
        await using (var writer = new BundleWriter(output, leaveOpen: true))
        {
            await writer.WriteManifestAsync("img", s_manifest);
            foreach (var source in new[] { "missing", "postscripts", "fifo", "dangling" })
            {
                var thrown = await Record.ExceptionAsync(() => writer.AddFileAsync(Path.Combine(_files, source), "img/kernel"));
                thrown.Should().BeOfType<FileNotFoundException>(thrown?.ToString()).Which.Message.Should().Contain(source);
            }

            await writer.AddFileAsync(Path.Combine(_files, "link-to-kernel"), "img/kernel"); // followed, as cp does
            await writer.CompleteAsync();
        }

        await File.WriteAllBytesAsync(_bundle, output.ToArray());
        (await ListAsync($"tar -tzf '{_bundle}'")).Should().Equal("./", "./img/", "./img/manifest.xml", "./img/kernel", "./img/SHA256SUMS");
        (await ListAsync($"tar -tzvf '{_bundle}' ./img/kernel")).Single().Should().StartWith("-rw");
    }

    [Fact]
    public async Task AddDirectory_Missing_IsDirectoryNotFound()
    {
        await using var writer = new BundleWriter(new MemoryStream());

        await FluentActions.Awaiting(() => writer.AddDirectoryAsync(_temp.Combine("missing"), "img/rootimg")).Should().ThrowExactlyAsync<DirectoryNotFoundException>();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Complete_WithoutChecksums_WritesNoSha256Sums()
    {
        await WriteFullBundleAsync(new BundleWriterOptions { WriteChecksums = false });

        (await ListAsync($"tar --quoting-style=literal -tzf '{_bundle}'")).Should().Equal(await ExpectedMembersAsync(checksums: false));
        await using var reader = new BundleReader(File.OpenRead(_bundle));
        (await reader.ExtractToDirectoryAsync(_temp.Combine("stage"))).Images.Single().Verified.Should().BeFalse();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Complete_TwoImages_EachEndsWithItsChecksums()
    {
        var output = new MemoryStream();
        await using (var writer = new BundleWriter(output, leaveOpen: true))
        {
            await writer.WriteManifestAsync("img", s_manifest);
            await writer.AddFileAsync(Path.Combine(_files, "kernel"), "img/kernel");
            await writer.WriteManifestAsync("b img", BundleReaderTests.Manifest("b img"));
            await writer.AddDataAsync("b img/extra/x", Encoding.UTF8.GetBytes("x\\y"), s_mode0644);
            await writer.AddDataAsync("b img/extra/back\\slash", "z"u8.ToArray(), s_mode0644);
            await writer.CompleteAsync();
        }

        await File.WriteAllBytesAsync(_bundle, output.ToArray());
        (await ListAsync($"tar -tzf '{_bundle}'")).Should().Equal(
            "./", "./img/", "./img/manifest.xml", "./img/kernel", "./b img/", "./b img/manifest.xml", "./b img/extra/", "./b img/extra/x",
            "./b img/extra/back\\\\slash", "./b img/SHA256SUMS", "./img/SHA256SUMS");
        var extracted = _temp.Combine("out");
        Directory.CreateDirectory(extracted);
        (await ExternalTool.RunAsync("tar", ["-xzf", _bundle, "-C", extracted])).EnsureSuccess();
        (await ExternalTool.ShellAsync("sha256sum -c --strict --quiet SHA256SUMS", Path.Combine(extracted, "b img"))).EnsureSuccess();
        (await ExternalTool.ShellAsync("sha256sum -c --strict --quiet SHA256SUMS", Path.Combine(extracted, "img"))).EnsureSuccess();

        await using var reader = new BundleReader(new MemoryStream(output.ToArray()));
        var images = (await reader.ExtractToDirectoryAsync(_temp.Combine("stage"))).Images;
        images.Select(i => (i.DirectoryName, i.Verified)).Should().Equal(("b img", true), ("img", true));
        images[0].Files.Should().BeEquivalentTo("manifest.xml", "extra/x", "extra/back\\slash");
    }

    [Fact]
    public async Task Write_NonSeekableDestination_Works()
    {
        var output = new MemoryStream();
        await using (var writer = new BundleWriter(new NonSeekableStream(output, leaveOpen: true)))
        {
            await writer.WriteManifestAsync("img", s_manifest);
            await writer.AddFileAsync(Path.Combine(_files, "kernel"), "img/kernel");
            await writer.CompleteAsync();
        }

        await using var reader = new BundleReader(new MemoryStream(output.ToArray()));
        (await reader.ExtractToDirectoryAsync(_temp.Combine("stage"))).Images.Single().Files.Should().BeEquivalentTo("manifest.xml", "kernel");
    }
}
