using Xcat.Imaging.Bundles.Internal;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

/// <summary>imgexport and imgimport classify a provmethod by its whole name, through core's ProvisioningMethodNames.</summary>
public sealed class ImgportMethodTests
{
    [Theory]
    [InlineData("install", true, false, false, false)]
    [InlineData("netboot", false, true, false, false)]
    [InlineData("statelite", false, false, true, false)]
    [InlineData("raw", false, false, false, true)]
    [InlineData("sysclone", false, false, false, true)]
    public void Classifies_by_name(string name, bool install, bool netboot, bool statelite, bool rawOrSysClone)
    {
        var method = new ImgportMethod(name);

        method.IsKnown.Should().BeTrue();
        method.IsInstall.Should().Be(install);
        method.IsNetboot.Should().Be(netboot);
        method.IsStatelite.Should().Be(statelite);
        method.IsRawOrSysClone.Should().Be(rawOrSysClone);
        method.IsSysClone.Should().Be(name == "sysclone");
    }

    [Theory]
    [InlineData("boottarget")]
    [InlineData("dualboot")]
    [InlineData("Netboot")]
    [InlineData("mynetboot2")]
    [InlineData("netboot,raw")]
    public void Other_methods_are_not_known(string name) => new ImgportMethod(name).IsKnown.Should().BeFalse();

    [Fact]
    public void S390x_image_files_live_under_the_provmethod()
    {
        new ImgportMethod("sysclone").ImageFileDirectory("/srv/install", "rhels9", "s390x", "compute")
            .Should().Be("/srv/install/sysclone/rhels9/s390x/compute");
        ImgportMethod.IsS390x("s390x").Should().BeTrue();
        ImgportMethod.IsS390x("x86_64").Should().BeFalse();
        ImgportMethod.IsEsx("esxi8").Should().BeTrue();
        ImgportMethod.IsEsx("rhels9.4").Should().BeFalse();
    }
}
