using Xcat.Imaging.Building.Layout;

namespace Xcat.Imaging.Tests.Building.Layout;

/// <summary>genimage.pm's worker choice: the osvers without digits and dots.</summary>
public sealed class OsFamilyTests
{
    [Theory]
    [InlineData("rhels9.4", DistributionFamily.RedHat)]
    [InlineData("rhels7.9", DistributionFamily.RedHat)]
    [InlineData("rhel8.10", DistributionFamily.RedHat)]
    [InlineData("rhcos4", DistributionFamily.RedHat)]
    [InlineData("centos7", DistributionFamily.RedHat)]
    [InlineData("rocky9.3", DistributionFamily.RedHat)]
    [InlineData("alma8.9", DistributionFamily.RedHat)]
    [InlineData("ol8.8", DistributionFamily.RedHat)]
    [InlineData("SL7", DistributionFamily.RedHat)]
    [InlineData("fedora39", DistributionFamily.RedHat)]
    [InlineData("sles15.5", DistributionFamily.Suse)]
    [InlineData("sles11sp1", DistributionFamily.Suse)]
    [InlineData("leap15.5", DistributionFamily.Suse)]
    [InlineData("opensuse15", DistributionFamily.Suse)]
    [InlineData("debian12", DistributionFamily.Debian)]
    [InlineData("ubuntu22.04", DistributionFamily.Ubuntu)]
    [InlineData("ubuntu24.04.1", DistributionFamily.Ubuntu)]
    public void Classify_FollowsGenimage(string osVersion, DistributionFamily expected) =>
        OsFamily.Classify(osVersion).Should().Be(expected);

    [Theory]
    [InlineData("windows2019")]
    [InlineData("aix7.2")]
    [InlineData("esxi8")]
    [InlineData("sl7")]
    [InlineData("Ubuntu22.04")]
    public void Classify_RefusesAnUnknownOsvers_NamingIt(string osVersion)
    {
        var act = () => OsFamily.Classify(osVersion);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(osVersion)).WithMessage($"*'{osVersion}'*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Classify_RefusesABlankOsvers(string osVersion)
    {
        var act = () => OsFamily.Classify(osVersion);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(osVersion));
    }

    [Theory]
    [InlineData("rhels9.4", "9")]
    [InlineData("rhels10", "10")]
    [InlineData("sles15.5", "15")]
    [InlineData("sles11sp1", "11")]
    [InlineData("debian12", "12")]
    [InlineData("ubuntu22.04", "22")]
    [InlineData("rocky8", "8")]
    public void ReleaseVersion_IsTheFirstNumber(string osVersion, string expected) =>
        OsFamily.ReleaseVersion(osVersion).Should().Be(expected);

    [Fact]
    public void ReleaseVersion_RefusesAnOsversWithoutANumber()
    {
        var act = () => OsFamily.ReleaseVersion("rhels");

        act.Should().Throw<ArgumentException>().WithParameterName("osVersion").WithMessage("*'rhels'*");
    }
}
