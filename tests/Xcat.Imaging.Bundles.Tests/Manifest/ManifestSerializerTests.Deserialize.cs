using System.Text;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Manifest;

public sealed partial class ManifestSerializerTests
{
    private const string Declaration = "<?xml version=\"1.0\"?>\n";

    // As generate_img.rst still shows it: every column straight under the root (spec §1.4, §2.3).
    private const string FlatLayout =
        Declaration +
        "<xcatimage>\n" +
        "  <comments>exported by xCAT 2.7</comments>\n" +
        "  <imagename>rhels6.2-x86_64-netboot-compute</imagename>\n" +
        "  <imagetype>linux</imagetype>\n" +
        "  <kernel>/install/netboot/rhels6.2/x86_64/compute/kernel</kernel>\n" +
        "  <osarch>x86_64</osarch>\n" +
        "  <osvers>rhels6.2</osvers>\n" +
        "  <pkglist>/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist</pkglist>\n" +
        "  <postscripts>syslog,remoteshell</postscripts>\n" +
        "  <profile>compute</profile>\n" +
        "  <provmethod>netboot</provmethod>\n" +
        "  <ramdisk>/install/netboot/rhels6.2/x86_64/compute/initrd-stateless.gz</ramdisk>\n" +
        "  <rootimg>/install/netboot/rhels6.2/x86_64/compute/rootimg.gz</rootimg>\n" +
        "  <rootimgdir>/install/netboot/rhels6.2/x86_64/compute</rootimgdir>\n" +
        "</xcatimage>\n";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deserialize_SpecExample_ReadsEveryPart(bool async)
    {
        var manifest = await DeserializeAsync(Utf8(SpecExamples.ManifestNetboot), async);

        manifest.Image.Name.Should().Be("rhels7.1-x86_64-netboot-compute");
        manifest.Image.OsImage.ProvMethod.Should().Be("netboot");
        manifest.Image.OsImage.SyncLists.Should().Equal("/install/custom/netboot/compute.synclist");
        manifest.Image.LinuxImage.AddKernelCommandLine.Should().Be("quiet");
        manifest.Image.LinuxImage.RootImageDirectory.Should().Be("/install/netboot/rhels7.1/x86_64/compute");
        manifest.Kernel.Should().Be("/install/netboot/rhels7.1/x86_64/compute/kernel");
        manifest.Ramdisk.Should().Be("/install/netboot/rhels7.1/x86_64/compute/initrd-stateless.gz");
        manifest.RootImage.Should().Be("/install/netboot/rhels7.1/x86_64/compute/rootimg.cpio.gz");
        manifest.PostScripts.Should().Be("syslog,remoteshell,syncfiles,otherpkgs");
        manifest.PostBootScripts.Should().Be("otherpkgs");
        manifest.Extras.Should().Equal(new BundleExtra("/install/postscripts/myscript1", "/install/postscripts"), new BundleExtra("/tmp/mydir", "/usr/mydir"));
        manifest.OtherElements.Should().BeEmpty();
        manifest.RootImageTree.Should().BeNull();
        manifest.Media.Should().BeNull();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deserialize_FlatLayout_MovesColumnsIntoTheirTables(bool async)
    {
        var manifest = await DeserializeAsync(Utf8(FlatLayout), async);

        var image = manifest.Image;
        image.Name.Should().Be("rhels6.2-x86_64-netboot-compute");
        image.OsImage.Should().BeEquivalentTo(new { Profile = "compute", OsVersion = "rhels6.2", OsArch = "x86_64", ProvMethod = "netboot", ImageType = "linux" });
        image.LinuxImage.PackageLists.Should().Equal("/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist");
        image.LinuxImage.RootImageDirectory.Should().Be("/install/netboot/rhels6.2/x86_64/compute");
        image.OsImage.Comments.Should().Be("exported by xCAT 2.7", "comments is a column of both tables");
        image.LinuxImage.Comments.Should().Be("exported by xCAT 2.7");
        image.OsImage.OtherAttributes.Should().BeEmpty();
        image.LinuxImage.OtherAttributes.Should().BeEmpty();
        manifest.Kernel.Should().Be("/install/netboot/rhels6.2/x86_64/compute/kernel");
        manifest.Ramdisk.Should().Be("/install/netboot/rhels6.2/x86_64/compute/initrd-stateless.gz");
        manifest.RootImage.Should().Be("/install/netboot/rhels6.2/x86_64/compute/rootimg.gz");

        // manifest_adapter moves postscripts too: it is an osimage column.
        image.OsImage.PostScripts.Should().Equal("syslog", "remoteshell");
        manifest.PostScripts.Should().BeNull();
        manifest.OtherElements.Should().BeEmpty();
    }

    [Fact]
    public void Deserialize_NestedLayout_LeavesTopLevelColumnNamesAlone()
    {
        var manifest = ManifestSerializer.Deserialize(
            Declaration + "<xcatimage><osimage><imagename>img</imagename></osimage><profile>top</profile><postscripts>a</postscripts></xcatimage>");

        manifest.Image.OsImage.Profile.Should().BeNull();
        manifest.PostScripts.Should().Be("a");
        manifest.OtherElements.Should().ContainSingle().Which.Should().BeEquivalentTo(new ManifestElement("profile", "top"));
    }

    [Fact]
    public void Deserialize_Whitespace_IsTrimmedWhereXcatTrims()
    {
        var manifest = ManifestSerializer.Deserialize(
            Declaration +
            "<xcatimage>\n" +
            "  <kernel>  /install/kernel\n  </kernel>\n" +
            "  <osimage>\n" +
            "    <imagename>  img-1 \t</imagename>\n" +
            "    <osarch> x86_64</osarch>\n" +
            "    <osvers>rhels9.4 </osvers>\n" +
            "    <profile> two words </profile>\n" +
            "    <provmethod>\n      netboot\n    </provmethod>\n" +
            "    <description>  kept as written  </description>\n" +
            "  </osimage>\n" +
            "  <extra><src> /tmp/a </src><dest> /opt </dest></extra>\n" +
            "</xcatimage>\n");

        manifest.Image.Name.Should().Be("img-1");
        manifest.Image.OsImage.OsArch.Should().Be("x86_64");
        manifest.Image.OsImage.OsVersion.Should().Be("rhels9.4");
        manifest.Image.OsImage.ProvMethod.Should().Be("netboot");
        manifest.Image.OsImage.Profile.Should().Be(" two words ", "verify_manifest only trims a single token");
        manifest.Image.OsImage.Description.Should().Be("  kept as written  ");
        manifest.Kernel.Should().Be("/install/kernel");
        manifest.Extras.Should().Equal(new BundleExtra("/tmp/a", "/opt"));
    }

    [Fact]
    public void Deserialize_SingleKitRepoAndComponent_Work()
    {
        // xCAT's XMLin does not fold a single <kit> (spec §2.3); we read one like many.
        var manifest = ManifestSerializer.Deserialize(
            Declaration + "<xcatimage><kit><kitdir>/install/kits/k</kitdir><name>k</name></kit>" +
            "<kitrepo><name>r</name></kitrepo><kitcomp><name>c</name><basename>b</basename></kitcomp>" +
            "<osimage><imagename>img</imagename></osimage></xcatimage>");

        manifest.Kits.Should().ContainSingle().Which.Should().Match<ManifestRecord>(k => k.Name == "k" && k.Columns["kitdir"] == "/install/kits/k");
        manifest.KitRepos.Should().ContainSingle().Which.Columns.Should().BeEmpty();
        manifest.KitComponents.Should().ContainSingle().Which.Columns.Should().ContainKey("basename");
    }

    [Fact]
    public void Deserialize_SingleExtraAndSingleFile_Work()
    {
        var manifest = ManifestSerializer.Deserialize(
            Declaration + "<xcatimage><extra><dest>/d</dest><src>/s</src><mode>ignored</mode></extra>" +
            "<osimage><imagename>img</imagename></osimage><rawimagefiles><files>/a.img</files></rawimagefiles></xcatimage>");

        manifest.Extras.Should().Equal(new BundleExtra("/s", "/d"));
        manifest.RawImageFiles.Should().Equal("/a.img");
    }

    [Fact]
    public void Deserialize_UnknownElementsAndColumns_AreKept()
    {
        var manifest = ManifestSerializer.Deserialize(
            Declaration + "<xcatimage><osimage><imagename>img</imagename><newcol>v</newcol></osimage>" +
            "<linuximage><imagename>img</imagename><newlinuxcol>w</newlinuxcol></linuximage>" +
            "<future><a>1</a><b><c>2</c></b><empty/></future></xcatimage>");

        manifest.Image.OsImage.OtherAttributes.Should().Equal(new Dictionary<string, string> { ["newcol"] = "v" });
        manifest.Image.LinuxImage.OtherAttributes.Should().Equal(new Dictionary<string, string> { ["newlinuxcol"] = "w" });
        var future = manifest.OtherElements.Should().ContainSingle().Subject;
        future.Name.Should().Be("future");
        future.Value.Should().BeNull();
        future.Children.Select(static c => c.Name).Should().Equal("a", "b", "empty");
        future.Children[0].Value.Should().Be("1");
        future.Children[1].Children.Should().ContainSingle().Which.Value.Should().Be("2");
        future.Children[2].Should().Match<ManifestElement>(e => e.Value == null && e.Children.Count == 0);
    }

    [Fact]
    public void Deserialize_EmptyElements_AreUnset()
    {
        var manifest = ManifestSerializer.Deserialize(
            Declaration + "<xcatimage><kernel/><media></media><osimage><imagename>img</imagename><profile/></osimage></xcatimage>");

        manifest.Kernel.Should().BeNull();
        manifest.Media.Should().BeNull();
        manifest.Image.OsImage.Profile.Should().BeNull();
    }

    [Theory]
    [InlineData("<xcatimage><osimage><profile>compute</profile></osimage></xcatimage>")]
    [InlineData("<xcatimage><osimage><imagename>   </imagename></osimage></xcatimage>")]
    [InlineData("<xcatimage><linuximage><imagename>img</imagename></linuximage></xcatimage>")]
    [InlineData("<xcatimage><kernel>/k</kernel></xcatimage>")]
    [InlineData("<xcatimage/>")]
    public void Deserialize_NoImagename_ThrowsXcatsMessage(string xml)
        => FluentActions.Invoking(() => ManifestSerializer.Deserialize(Declaration + xml))
            .Should().Throw<InvalidDataException>().WithMessage("The 'imagename' field is not defined in manifest.xml.");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deserialize_WrongRoot_NamesTheRootFound(bool async)
        => await FluentActions.Awaiting(() => DeserializeAsync(Utf8(Declaration + "<osimage><imagename>x</imagename></osimage>"), async))
            .Should().ThrowAsync<InvalidDataException>().WithMessage("*<osimage>*<xcatimage>*");

    [Theory]
    [InlineData("not xml at all")]
    [InlineData("")]
    [InlineData("<?xml version=\"1.0\"?>\n<xcatimage>\n  <kernel>/k</kernel>\n  <osimage>\n")]
    [InlineData("<xcatimage><osimage><imagename>img</imagename></osimage></xcatimage><second/>")]
    [InlineData("<xcatimage><kernel>a & b</kernel></xcatimage>")]
    public async Task Deserialize_NotWellFormed_ThrowsInvalidDataException(string xml)
    {
        foreach (var async in new[] { false, true })
        {
            (await FluentActions.Awaiting(() => DeserializeAsync(Utf8(xml), async))
                .Should().ThrowAsync<InvalidDataException>().WithMessage("The manifest is not valid XML: *"))
                .WithInnerException<System.Xml.XmlException>();
        }
    }

    [Fact]
    public void Deserialize_TruncatedSpecExample_ReportsTheLine()
    {
        var text = SpecExamples.ManifestNetboot;

        FluentActions.Invoking(() => ManifestSerializer.Deserialize(text[..(text.Length / 2)]))
            .Should().Throw<InvalidDataException>().WithMessage("The manifest is not valid XML:*Line*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deserialize_ExternalEntity_IsRefused(bool async)
    {
        const string xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE xcatimage [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n" +
            "<xcatimage><osimage><imagename>&e;</imagename></osimage></xcatimage>";

        await FluentActions.Awaiting(() => DeserializeAsync(Utf8(xxe), async))
            .Should().ThrowAsync<InvalidDataException>().WithMessage("*DTD*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deserialize_BillionLaughs_IsRefused(bool async)
    {
        var entities = new StringBuilder("<!ENTITY l0 \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            entities.Append($"<!ENTITY l{i} \"{string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))}\">");
        }

        var bomb = $"<?xml version=\"1.0\"?>\n<!DOCTYPE xcatimage [{entities}]>\n<xcatimage><osimage><imagename>&l9;</imagename></osimage></xcatimage>";

        await FluentActions.Awaiting(() => DeserializeAsync(Utf8(bomb), async))
            .Should().ThrowAsync<InvalidDataException>().WithMessage("*DTD*");
    }

    [Theory]
    [InlineData("<xcatimage><osimage><imagename>a</imagename></osimage><osimage><imagename>b</imagename></osimage></xcatimage>", "*more than one <osimage>*")]
    [InlineData("<xcatimage><linuximage/><osimage><imagename>a</imagename></osimage><linuximage/></xcatimage>", "*more than one <linuximage>*")]
    [InlineData("<xcatimage><osimage><imagename>a</imagename><imagename>b</imagename></osimage></xcatimage>", "*<imagename>*more than once*")]
    [InlineData("<xcatimage><osimage><imagename>a</imagename></osimage><kernel>/a</kernel><kernel>/b</kernel></xcatimage>", "*more than one <kernel>*")]
    [InlineData("<xcatimage><osimage><imagename>a</imagename></osimage><kernel><path>/a</path></kernel></xcatimage>", "*<kernel> must hold text*")]
    [InlineData("<xcatimage><osimage><imagename>a</imagename></osimage><extra><src>/s</src></extra></xcatimage>", "*<extra>*<dest>*line 1*")]
    [InlineData("<xcatimage><osimage><imagename>a</imagename></osimage><kit><kitdir>/k</kitdir></kit></xcatimage>", "*<kit>*no <name>*")]
    [InlineData("<xcatimage><osimage><imagename><x>a</x></imagename></osimage></xcatimage>", "*<imagename> must hold text*")]
    public void Deserialize_MalformedKnownElement_ThrowsInvalidDataException(string xml, string message)
        => FluentActions.Invoking(() => ManifestSerializer.Deserialize(xml))
            .Should().Throw<InvalidDataException>().WithMessage(message);

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Deserialize_LargerThanMaximumSize_IsRefusedWithoutReadingItAll(bool async, bool seekable)
    {
        const long length = 3 * ManifestSerializer.MaximumSize;
        using var generated = new GeneratedManifestStream(length);
        using var source = seekable ? (Stream)generated : new NonSeekableStream(generated, leaveOpen: true);

        await FluentActions.Awaiting(() => DeserializeAsync(source, async))
            .Should().ThrowAsync<InvalidDataException>().WithMessage("*larger than 16777216 bytes*");
        generated.BytesRead.Should().BeLessThan(ManifestSerializer.MaximumSize + (1 << 20));
    }

    [Fact]
    public void Deserialize_JustUnderMaximumSize_IsRead()
    {
        using var source = new GeneratedManifestStream(ManifestSerializer.MaximumSize);

        ManifestSerializer.Deserialize(new NonSeekableStream(source)).OtherElements.Should().ContainSingle()
            .Which.Value.Should().HaveLength((int)ManifestSerializer.MaximumSize - GeneratedManifestStream.Overhead);
    }

    [Fact]
    public async Task Deserialize_BadArguments_Throw()
    {
        FluentActions.Invoking(() => ManifestSerializer.Deserialize((Stream)null!)).Should().Throw<ArgumentNullException>().WithParameterName("source");
        FluentActions.Invoking(() => ManifestSerializer.Deserialize((string)null!)).Should().Throw<ArgumentNullException>().WithParameterName("xml");
        await FluentActions.Awaiting(() => ManifestSerializer.DeserializeAsync(null!)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("source");

        var writeOnly = new NonSeekableStream(new MemoryStream());
        writeOnly.Dispose();
        FluentActions.Invoking(() => ManifestSerializer.Deserialize(writeOnly)).Should().Throw<ArgumentException>().WithParameterName("source");
    }

    [Fact]
    public async Task DeserializeAsync_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await FluentActions.Awaiting(() => ManifestSerializer.DeserializeAsync(Utf8(SpecExamples.ManifestNetboot), cancelled.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Deserialize_LeavesTheStreamOpen()
    {
        var stream = Utf8(SpecExamples.ManifestNetboot);

        ManifestSerializer.Deserialize(stream);

        stream.CanRead.Should().BeTrue();
        stream.Position.Should().Be(stream.Length);
    }

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
