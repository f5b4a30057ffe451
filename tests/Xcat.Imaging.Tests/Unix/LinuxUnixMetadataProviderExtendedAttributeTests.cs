using System.Runtime.Versioning;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Unix;

/// <summary>
/// Extended attributes need a file system that takes <c>user.</c> attributes: the temp directory when it does (ext4
/// here), else <c>/var/tmp</c> or <c>/dev/shm</c> (see <see cref="ExtendedAttributeOracle.FindSupportingDirectory"/>).
/// </summary>
[SupportedOSPlatform("linux")]
[Trait("Category", "Interop")]
public sealed class LinuxUnixMetadataProviderExtendedAttributeTests : IDisposable
{
    private readonly string _root;
    private readonly LinuxUnixMetadataProvider _provider = LinuxUnixMetadataProvider.Instance;

    public LinuxUnixMetadataProviderExtendedAttributeTests()
    {
        _root = Path.Combine(ExtendedAttributeOracle.FindSupportingDirectory(), "xcat-imaging-xattr-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void GetExtendedAttributes_UserAttributes_MatchGetfattr()
    {
        var path = Path.Combine(_root, "file");
        File.WriteAllText(path, "x");
        ExtendedAttributeOracle.Write(path, "user.comment", "hello"u8.ToArray());
        ExtendedAttributeOracle.Write(path, "user.binary", [0, 1, 2, 0xff, 0]);

        var attributes = _provider.GetExtendedAttributes(path);

        attributes.Should().BeEquivalentTo(ExtendedAttributeOracle.Read(path));
        attributes.Keys.Should().Contain(["user.binary", "user.comment"]);
        attributes["user.binary"].Should().Equal(0, 1, 2, 0xff, 0);
    }

    [Fact]
    public void GetExtendedAttributes_None_ReturnsWhatGetfattrSees()
    {
        var path = Path.Combine(_root, "plain");
        File.WriteAllText(path, "x");

        _provider.GetExtendedAttributes(path).Should().BeEquivalentTo(ExtendedAttributeOracle.Read(path));
    }

    [RootFact]
    public void GetExtendedAttributes_FileCapability_ReadsSecurityCapability()
    {
        var path = Path.Combine(_root, "ping");
        File.WriteAllText(path, "x");
        HostCommand.Run("setcap", "cap_net_raw+ep", path);

        var attributes = _provider.GetExtendedAttributes(path);

        attributes.Should().ContainKey("security.capability");
        attributes["security.capability"].Should().Equal(ExtendedAttributeOracle.Read(path)["security.capability"]);
    }

    [Fact]
    public void GetExtendedAttributes_SymbolicLink_DoesNotFollow()
    {
        var target = Path.Combine(_root, "target");
        File.WriteAllText(target, "x");
        ExtendedAttributeOracle.Write(target, "user.on-target", [1]);
        var link = Path.Combine(_root, "link");
        File.CreateSymbolicLink(link, target);

        _provider.GetExtendedAttributes(link).Should().NotContainKey("user.on-target");
    }

    [Fact]
    public void SetExtendedAttribute_User_RoundTripsThroughGetfattr()
    {
        var path = Path.Combine(_root, "file");
        File.WriteAllText(path, "x");

        _provider.SetExtendedAttribute(path, "user.empty", []);
        _provider.SetExtendedAttribute(path, "user.large", Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray());

        var read = ExtendedAttributeOracle.Read(path);
        read["user.empty"].Should().BeEmpty();
        read["user.large"].Should().Equal(Enumerable.Range(0, 3000).Select(i => (byte)i));
        _provider.GetExtendedAttributes(path).Should().BeEquivalentTo(read);
    }

    [RootFact] // security.* attributes need CAP_SYS_ADMIN
    public void SetExtendedAttribute_Capability_RoundTripsThroughGetfattrAndGetcap()
    {
        var path = Path.Combine(_root, "file");
        File.WriteAllText(path, "x");
        byte[] capability = [0x01, 0, 0, 0x02, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // cap_net_raw+ep

        _provider.SetExtendedAttribute(path, "security.capability", capability);

        var read = ExtendedAttributeOracle.Read(path);
        read["security.capability"].Should().Equal(capability);
        _provider.GetExtendedAttributes(path).Should().BeEquivalentTo(read);
        HostCommand.Run("getcap", path).Should().Contain("cap_net_raw=ep");
    }

    [Fact]
    public void SetExtendedAttribute_MissingFile_ThrowsFileNotFound()
    {
        var path = Path.Combine(_root, "missing");

        var act = () => _provider.SetExtendedAttribute(path, "user.x", [1]);

        act.Should().Throw<FileNotFoundException>().WithMessage($"*{path}*");
    }

    [Fact]
    public void SetExtendedAttribute_EmptyName_ThrowsArgumentException()
    {
        var act = () => _provider.SetExtendedAttribute(Path.Combine(_root, "x"), string.Empty, [1]);

        act.Should().Throw<ArgumentException>().WithParameterName("name");
    }
}
