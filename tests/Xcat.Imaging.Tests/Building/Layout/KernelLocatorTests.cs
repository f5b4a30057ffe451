using System.IO.Abstractions.TestingHelpers;
using Xcat.Imaging.Building.Layout;

namespace Xcat.Imaging.Tests.Building.Layout;

/// <summary>genimage's kernel version and kernel file (xCAT's netboot/rh/genimage), on a mock file system.</summary>
public sealed class KernelLocatorTests
{
    private const string Root = "/install/netboot/rhels9.4/x86_64/compute/rootimg";

    private readonly MockFileSystem _fileSystem = new();

    private KernelLocator Locator => new(_fileSystem);

    [Fact]
    public void FindVersion_TakesTheLastVmlinuzInOrdinalOrder()
    {
        Touch("boot/vmlinuz-5.14.0-362.8.1.el9_3.x86_64");
        Touch("boot/vmlinuz-5.14.0-427.13.1.el9_4.x86_64");
        Touch("boot/vmlinuz-0-rescue-0123456789abcdef");
        Touch("boot/.vmlinuz-5.14.0-999.el9.x86_64.hmac");
        Touch("boot/initramfs-5.14.0-999.el9.x86_64.img");
        _fileSystem.AddDirectory($"{Root}/lib/modules/9.9.9-ignored");

        Locator.FindVersion(Root).Should().Be("5.14.0-427.13.1.el9_4.x86_64");
    }

    [Fact]
    public void FindVersion_IsOrdinal_NotNumeric()
    {
        // A glob sorts names, not versions: 5.14.0-70 sorts after 5.14.0-427.
        Touch("boot/vmlinuz-5.14.0-427.el9.x86_64");
        Touch("boot/vmlinuz-5.14.0-70.el9.x86_64");

        Locator.FindVersion(Root).Should().Be("5.14.0-70.el9.x86_64");
    }

    [Fact]
    public void FindVersion_OnDebian_IgnoresTheRootLevelLink()
    {
        Touch("vmlinuz");
        Touch("vmlinuz.old");
        Touch("boot/vmlinuz-6.1.0-28-amd64");
        Touch("boot/config-6.1.0-28-amd64");

        Locator.FindVersion(Root).Should().Be("6.1.0-28-amd64");
    }

    [Fact]
    public void FindVersion_FallsBackToLibModules()
    {
        _fileSystem.AddDirectory($"{Root}/boot");
        _fileSystem.AddDirectory($"{Root}/lib/modules/6.1.0-27-amd64");
        _fileSystem.AddDirectory($"{Root}/lib/modules/6.1.0-28-amd64");

        Locator.FindVersion(Root).Should().Be("6.1.0-28-amd64");
    }

    [Fact]
    public void FindVersion_WithoutAKernel_IsNull()
    {
        _fileSystem.AddDirectory($"{Root}/etc");
        Touch("vmlinuz");

        Locator.FindVersion(Root).Should().BeNull();
    }

    [Theory]
    [InlineData("boot/vmlinux-{0}")]
    [InlineData("boot/vmlinuz-{0}")]
    [InlineData("boot/image-{0}")]
    [InlineData("lib/modules/{0}/vmlinuz")]
    public void FindKernelFile_FindsEachCandidate(string pattern)
    {
        var relative = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, "6.1.0-28-amd64");
        Touch(relative);

        Locator.FindKernelFile(Root, "6.1.0-28-amd64").Should().Be($"{Root}/{relative}");
    }

    [Fact]
    public void FindKernelFile_PrefersVmlinuxThenVmlinuzThenImageThenModules()
    {
        const string Version = "4.18.0-553.el8_10.ppc64le";
        Touch($"lib/modules/{Version}/vmlinuz");
        Touch($"boot/image-{Version}");
        Touch($"boot/vmlinuz-{Version}");
        Locator.FindKernelFile(Root, Version).Should().Be($"{Root}/boot/vmlinuz-{Version}");

        Touch($"boot/vmlinux-{Version}");
        Locator.FindKernelFile(Root, Version).Should().Be($"{Root}/boot/vmlinux-{Version}");
    }

    [Fact]
    public void FindKernelFile_WithoutAMatch_ThrowsGenimagesMessage()
    {
        Touch("boot/vmlinuz-6.1.0-27-amd64");
        _fileSystem.AddDirectory($"{Root}/lib/modules/6.1.0-28-amd64");

        var act = () => Locator.FindKernelFile(Root + "/", "6.1.0-28-amd64");

        act.Should().Throw<FileNotFoundException>()
            .WithMessage($"couldn't find the kernel file matched 6.1.0-28-amd64 in {Root}/boot");
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void FindKernelFile_RefusesAVersionThatIsNoPathComponent(string version)
    {
        var act = () => Locator.FindKernelFile(Root, version);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(version));
    }

    private void Touch(string relative) => _fileSystem.AddFile($"{Root}/{relative}", new MockFileData("k"));
}
