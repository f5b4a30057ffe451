using Xcat.Imaging.Definitions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Definitions;

public sealed class ImageDefinitionTests
{
    [Fact]
    public void StandardName_JoinsOsversArchMethodProfile()
        => ImageNaming.StandardName("rhels9.4", "x86_64", ProvisioningMethod.Netboot, "compute").Should().Be("rhels9.4-x86_64-netboot-compute");

    [Theory]
    [InlineData("/install", "/install/netboot/rhels9.4/x86_64/compute")]
    [InlineData("/srv/xcat/", "/srv/xcat/netboot/rhels9.4/x86_64/compute")]
    [InlineData("/", "/netboot/rhels9.4/x86_64/compute")]
    public void StandardRootImageDirectory_IsUnderInstallDir(string installDir, string expected)
        => ImageNaming.StandardRootImageDirectory(installDir, "rhels9.4", "x86_64", "compute").Should().Be(expected);

    [Fact]
    public void GetRootImageDirectory_PrefersRootimgdir_ElseDerivesIt()
    {
        var image = Some.NetbootImage();
        image.GetRootImageDirectory(SiteSettings.Default.WithInstallDirectory("/srv")).Should().Be("/install/netboot/rhels7.1/x86_64/compute");
        (image with { LinuxImage = image.LinuxImage with { RootImageDirectory = null } }).GetRootImageDirectory(SiteSettings.Default.WithInstallDirectory("/srv"))
            .Should().Be("/srv/netboot/rhels7.1/x86_64/compute");
    }

    [Fact]
    public void GetRootImageDirectory_WithoutOsvers_Throws()
    {
        var image = new ImageDefinition(new OsImage("x") { ImageType = "linux" });
        image.Invoking(i => i.GetRootImageDirectory(SiteSettings.Default.WithInstallDirectory("/install"))).Should().Throw<InvalidOperationException>().WithMessage("*osvers*");
    }

    [Fact]
    public void Attributes_RoundTrip_IncludingUnknownOnes()
    {
        var attributes = new Dictionary<string, string?>
        {
            ["imagetype"] = "linux", ["provmethod"] = "netboot", ["postscripts"] = "a,b", ["pkglist"] = "/x.pkglist",
            ["usercomment"] = "hello", ["futureattr"] = "kept", ["template"] = "",
        };
        var image = ImageDefinition.FromAttributes("img", attributes);

        image.OsImage.PostScripts.Should().Equal("a", "b");
        image.LinuxImage.PackageLists.Should().Equal("/x.pkglist");
        image.LinuxImage.Comments.Should().Be("hello");
        image.OsImage.OtherAttributes.Should().ContainKey("futureattr");
        image.ToAttributes().Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["imagetype"] = "linux", ["provmethod"] = "netboot", ["postscripts"] = "a,b", ["pkglist"] = "/x.pkglist",
            ["usercomment"] = "hello", ["futureattr"] = "kept",
        });
        image.ToAttributes().Keys.Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    public void ToAttributes_NonLinuxImage_HidesLinuxAttributes()
    {
        var image = ImageDefinition.FromAttributes("img", [new("imagetype", "NIM"), new("pkglist", "/x"), new("osvers", "7.1")]);
        image.ToAttributes().Should().BeEquivalentTo(new Dictionary<string, string> { ["imagetype"] = "NIM", ["osvers"] = "7.1" });
    }

    [Fact]
    public void Method_ParsesProvmethod()
    {
        new OsImage("x") { ProvMethod = "statelite" }.Method.Should().Be(ProvisioningMethod.Statelite);
        new OsImage("x") { ProvMethod = "Netboot" }.Method.Should().BeNull();
    }

    [Fact]
    public void Validate_ValidImage_HasNoProblems() => Some.NetbootImage().Validate().Should().BeEmpty();

    [Fact]
    public void Validate_ReportsEveryProblemNamingItsAttribute()
    {
        var image = ImageDefinition.FromAttributes("bad/name", new Dictionary<string, string?>
        {
            ["imagetype"] = "Linux", ["provmethod"] = "diskless", ["rootfstype"] = "ext4", ["osarch"] = "vax",
            ["environvar"] = "OK=1,broken", ["permission"] = "rwx", ["pkglist"] = "/ok.pkglist,relative.pkglist",
            ["mystery"] = "x",
        });

        var problems = image.Validate();

        problems.Select(p => p.Attribute).Should().BeEquivalentTo(
            ["imagename", "imagetype", "provmethod", "rootfstype", "rootfstype", "osarch", "environvar", "permission", "permission", "pkglist", "pkglist", "mystery"]);
        problems.Single(p => p.Attribute == "pkglist" && p.Message.Contains("relative", StringComparison.Ordinal)).Message
            .Should().Be("'relative.pkglist' is not an absolute path.");
        problems.Single(p => p.Attribute == "pkglist" && p.Message.StartsWith("Cannot", StringComparison.Ordinal)).Message
            .Should().Be("Cannot set the attr='pkglist' attribute unless imagetype value is linux.");
    }

    [Fact]
    public void ThrowIfInvalid_ListsAllProblemsInTheMessage()
    {
        var image = ImageDefinition.FromAttributes("img", [new("imagetype", "linux"), new("osarch", "vax"), new("provmethod", "x")]);
        image.Invoking(i => i.ThrowIfInvalid()).Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("osarch: 'vax'").And.Contain("provmethod: 'x'");
    }
}
