using System.Text;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Manifest;

public sealed partial class ManifestSerializerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serialize_SpecExample_MatchesXcatByteForByte(bool async)
    {
        var bytes = await SerializeAsync(ManifestSamples.Netboot(), async);

        bytes.Should().Equal(Encoding.UTF8.GetBytes(SpecExamples.ManifestNetboot));
    }

    [Fact]
    public void SerializeToString_SpecExample_MatchesXcat()
        => ManifestSerializer.SerializeToString(ManifestSamples.Netboot()).Should().Be(SpecExamples.ManifestNetboot);

    [Fact]
    public void Serialize_Kits_WriteNameFirstThenSortedColumns()
        => ManifestSerializer.SerializeToString(ManifestSamples.Install()).Should().Be(ManifestSamples.InstallText);

    [Fact]
    public void Serialize_KitColumnCalledName_IsLeftOut()
    {
        var manifest = ManifestSamples.Install() with
        {
            Kits = [new("mykit", new Dictionary<string, string> { ["name"] = "other", ["kitname"] = "mykit" })],
        };

        ManifestSerializer.SerializeToString(manifest).Should()
            .Contain("  <kit>\n    <name>mykit</name>\n    <kitname>mykit</kitname>\n  </kit>\n")
            .And.NotContain("other");
    }

    [Fact]
    public void Serialize_RawImageFiles_RepeatFilesInOneElement()
        => ManifestSerializer.SerializeToString(ManifestSamples.S390x()).Should().Contain(
            "  <osimage>\n" +
            "    <imagename>sles15.5-s390x-netboot-compute</imagename>\n" +
            "    <imagetype>linux</imagetype>\n" +
            "    <osarch>s390x</osarch>\n" +
            "    <osname>Linux</osname>\n" +
            "    <osvers>sles15.5</osvers>\n" +
            "    <profile>compute</profile>\n" +
            "    <provmethod>netboot</provmethod>\n" +
            "  </osimage>\n" +
            "  <rawimagefiles>\n" +
            "    <files>/install/raw/sles15.5-s390x-netboot-compute/0100.img</files>\n" +
            "    <files>/install/raw/sles15.5-s390x-netboot-compute/0101.img</files>\n" +
            "  </rawimagefiles>\n" +
            "</xcatimage>\n");

    [Fact]
    public void Serialize_Statelite_SortsLitefileRootimgtreeAndOurExtension()
    {
        var text = ManifestSerializer.SerializeToString(ManifestSamples.Statelite());

        var order = new[] { "<kernel>", "<linuximage>", "<litefile>", "<osimage>", "<ramdisk>", "<rootimgtree>", "<unpackedrootimg>" }
            .Select(tag => text.IndexOf(tag, StringComparison.Ordinal)).ToList();
        order.Should().NotContain(-1).And.BeInAscendingOrder();
        text.Should().Contain("    <groups>lite,compute</groups>\n").And.Contain("    <rootfstype>nfs</rootfstype>\n");
    }

    [Fact]
    public void Serialize_OtherElements_MergeIntoTheSortAndKeepRepeatedOrder()
        => ManifestSerializer.SerializeToString(ManifestSamples.WithOtherElements()).Should().Be(
            "<?xml version=\"1.0\"?>\n" +
            "<xcatimage>\n" +
            "  <aaa></aaa>\n" +
            "  <checksum>sha256:0123</checksum>\n" +
            "  <extra>\n" +
            "    <dest>/install/postscripts</dest>\n" +
            "    <src>/install/postscripts/myscript1</src>\n" +
            "  </extra>\n" +
            "  <extra>\n" +
            "    <dest>/usr/mydir</dest>\n" +
            "    <src>/tmp/mydir</src>\n" +
            "  </extra>\n" +
            "  <kernel>/install/netboot/rhels7.1/x86_64/compute/kernel</kernel>\n" +
            "  <linuximage>\n" +
            "    <exlist>/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.exlist</exlist>\n" +
            "    <imagename>rhels7.1-x86_64-netboot-compute</imagename>\n" +
            "    <otherpkgdir>/install/post/otherpkgs/rhels7.1/x86_64</otherpkgdir>\n" +
            "    <pkgdir>/install/rhels7.1/x86_64</pkgdir>\n" +
            "    <pkglist>/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.pkglist</pkglist>\n" +
            "    <postinstall>/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.postinstall</postinstall>\n" +
            "    <rootimgdir>/install/netboot/rhels7.1/x86_64/compute</rootimgdir>\n" +
            "  </linuximage>\n" +
            "  <osimage>\n" +
            "    <futurecolumn>x</futurecolumn>\n" +
            "    <imagename>rhels7.1-x86_64-netboot-compute</imagename>\n" +
            "    <imagetype>linux</imagetype>\n" +
            "    <osarch>x86_64</osarch>\n" +
            "    <osdistroname>rhels7.1-x86_64</osdistroname>\n" +
            "    <osname>Linux</osname>\n" +
            "    <osvers>rhels7.1</osvers>\n" +
            "    <profile>compute</profile>\n" +
            "    <provmethod>netboot</provmethod>\n" +
            "  </osimage>\n" +
            "  <postbootscripts>otherpkgs</postbootscripts>\n" +
            "  <postscripts>syslog,remoteshell,syncfiles,otherpkgs</postscripts>\n" +
            "  <ramdisk>/install/netboot/rhels7.1/x86_64/compute/initrd-stateless.gz</ramdisk>\n" +
            "  <rootimg>/install/netboot/rhels7.1/x86_64/compute/rootimg.cpio.gz</rootimg>\n" +
            "  <vendor>\n" +
            "    <name>acme</name>\n" +
            "    <version>1</version>\n" +
            "  </vendor>\n" +
            "  <zzfuture>\n" +
            "    <a>first a</a>\n" +
            "    <a>second a</a>\n" +
            "    <b>2</b>\n" +
            "  </zzfuture>\n" +
            "</xcatimage>\n");

    [Fact]
    public async Task Serialize_EscapesTheFourCharactersXmlSimpleEscapes_AndWritesUtf8Raw()
    {
        var manifest = ManifestSamples.Netboot();
        manifest = manifest with { Image = manifest.Image with { OsImage = manifest.Image.OsImage with { Description = "a & b <c> \"d\" 'e' é" } } };

        var bytes = await SerializeAsync(manifest, async: false);

        var expected = Encoding.UTF8.GetBytes("    <description>a &amp; b &lt;c&gt; &quot;d&quot; 'e' \u00e9</description>\n");
        bytes.AsSpan().IndexOf(expected).Should().BePositive();
        bytes.Take(3).Should().NotEqual(Encoding.UTF8.Preamble.ToArray());
        bytes.Should().StartWith(Encoding.ASCII.GetBytes("<?xml"));
        ManifestSerializer.Deserialize(new MemoryStream(bytes)).Image.OsImage.Description.Should().Be("a & b <c> \"d\" 'e' é");
    }

    [Fact]
    public void Serialize_NonLinuxImageWithoutLinuxColumns_OmitsLinuxImage()
    {
        var manifest = new BundleManifest(new(new("win2019") { ImageType = "windows", ProvMethod = "install" }));

        ManifestSerializer.SerializeToString(manifest).Should().Be(
            "<?xml version=\"1.0\"?>\n<xcatimage>\n  <osimage>\n    <imagename>win2019</imagename>\n    <imagetype>windows</imagetype>\n" +
            "    <provmethod>install</provmethod>\n  </osimage>\n</xcatimage>\n");
    }

    [Fact]
    public void Serialize_LinuxImageWithOnlyItsName_KeepsTheLinuxImageRow()
    {
        var manifest = new BundleManifest(new(new("img") { ImageType = "linux" }));

        ManifestSerializer.SerializeToString(manifest).Should().Contain("  <linuximage>\n    <imagename>img</imagename>\n  </linuximage>\n");
    }

    [Fact]
    public void Serialize_EmptyTopLevelStrings_AreLeftOut()
    {
        var manifest = ManifestSamples.Netboot() with { Kernel = "", PostScripts = null, Extras = [], Media = "" };

        ManifestSerializer.SerializeToString(manifest).Should().NotContain("<kernel>").And.NotContain("<postscripts>")
            .And.NotContain("<extra>").And.NotContain("<media>");
    }

    [Theory]
    [InlineData("kernel")]
    [InlineData("osimage")]
    [InlineData("extra")]
    public void Serialize_OtherElementNamedLikeAKnownOne_ThrowsArgumentException(string name)
    {
        var manifest = ManifestSamples.Netboot() with { OtherElements = [new(name, "x")] };

        FluentActions.Invoking(() => ManifestSerializer.SerializeToString(manifest))
            .Should().Throw<ArgumentException>().WithParameterName("manifest").WithMessage($"*<{name}>*");
    }

    [Theory]
    [InlineData("1bad")]
    [InlineData("has space")]
    [InlineData("")]
    public void Serialize_InvalidElementName_ThrowsArgumentException(string name)
    {
        var manifest = ManifestSamples.Netboot() with { OtherElements = [new("ok", null, [new(name, "x")])] };

        FluentActions.Invoking(() => ManifestSerializer.SerializeToString(manifest))
            .Should().Throw<ArgumentException>().WithParameterName("manifest");
    }

    [Theory]
    [InlineData("", "/dest")]
    [InlineData("/src", null)]
    public void Serialize_ExtraWithoutSourceOrDestination_ThrowsArgumentException(string source, string? destination)
    {
        var manifest = ManifestSamples.Netboot() with { Extras = [new(source, destination!)] };

        FluentActions.Invoking(() => ManifestSerializer.SerializeToString(manifest))
            .Should().Throw<ArgumentException>().WithParameterName("manifest");
    }

    [Fact]
    public void Serialize_ValueWithControlCharacter_ThrowsArgumentException()
    {
        var manifest = ManifestSamples.Netboot() with { Kernel = "/boot/\u0001kernel" };

        FluentActions.Invoking(() => ManifestSerializer.SerializeToString(manifest))
            .Should().Throw<ArgumentException>().WithParameterName("manifest").WithMessage("*<kernel>*");
    }

    [Fact]
    public void Serialize_ElementWithTextAndChildren_ThrowsArgumentException()
    {
        var manifest = ManifestSamples.Netboot() with { OtherElements = [new("mixed", "text", [new("child", "x")])] };

        FluentActions.Invoking(() => ManifestSerializer.SerializeToString(manifest))
            .Should().Throw<ArgumentException>().WithMessage("*<mixed>*");
    }

    [Fact]
    public async Task Serialize_BadArguments_Throw()
    {
        FluentActions.Invoking(() => ManifestSerializer.Serialize(null!, new MemoryStream()))
            .Should().Throw<ArgumentNullException>().WithParameterName("manifest");
        FluentActions.Invoking(() => ManifestSerializer.Serialize(ManifestSamples.Netboot(), null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("destination");
        FluentActions.Invoking(() => ManifestSerializer.Serialize(ManifestSamples.Netboot(), new MemoryStream([], writable: false)))
            .Should().Throw<ArgumentException>().WithParameterName("destination");
        await FluentActions.Awaiting(() => ManifestSerializer.SerializeAsync(ManifestSamples.Netboot(), new MemoryStream([], writable: false)))
            .Should().ThrowAsync<ArgumentException>().WithParameterName("destination");
        FluentActions.Invoking(() => ManifestSerializer.SerializeToString(null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("manifest");
    }

    [Fact]
    public async Task SerializeAsync_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await FluentActions.Awaiting(() => ManifestSerializer.SerializeAsync(ManifestSamples.Netboot(), new NonSeekableStream(new MemoryStream()), cancelled.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Theory]
    [MemberData(nameof(ManifestSamples.Names), MemberType = typeof(ManifestSamples))]
    public async Task RoundTrip_SerializeDeserializeSerialize_GivesTheSameBytes(string sample)
    {
        foreach (var async in new[] { false, true })
        {
            var first = await SerializeAsync(ManifestSamples.ByName(sample), async);
            var manifest = await DeserializeAsync(new NonSeekableStream(new MemoryStream(first), maxReadSize: 7), async);
            var second = await SerializeAsync(manifest, async);

            second.Should().Equal(first, "the {0} manifest must survive a round trip (async: {1})", sample, async);
        }
    }

    [Fact]
    public void RoundTrip_Install_KeepsKitsAndMedia()
    {
        var manifest = ManifestSerializer.Deserialize(ManifestSamples.InstallText);

        manifest.Media.Should().Be("required");
        manifest.Kits.Should().ContainSingle().Which.Name.Should().Be("mykit-1.0-1");
        manifest.Kits[0].Columns.Should().BeEquivalentTo(ManifestSamples.Install().Kits[0].Columns);
        manifest.KitRepos.Should().ContainSingle().Which.Columns.Should().ContainKey("osmajorversion").WhoseValue.Should().Be("9");
        manifest.KitComponents.Should().ContainSingle().Which.Columns.Should().HaveCount(3);
        manifest.Image.LinuxImage.Template.Should().Be("/opt/xcat/share/xcat/install/rh/compute.rhels9.tmpl");
    }

    private static async Task<byte[]> SerializeAsync(BundleManifest manifest, bool async)
    {
        using var stream = new MemoryStream();
        if (async)
        {
            await ManifestSerializer.SerializeAsync(manifest, stream);
        }
        else
        {
            ManifestSerializer.Serialize(manifest, stream);
        }

        return stream.ToArray();
    }

    private static async Task<BundleManifest> DeserializeAsync(Stream stream, bool async)
        => async ? await ManifestSerializer.DeserializeAsync(stream) : ManifestSerializer.Deserialize(stream);
}
