using System.Globalization;
using System.Runtime.Versioning;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Unix;

[SupportedOSPlatform("linux")]
public sealed class LinuxUnixMetadataProviderWriterTests : IDisposable
{
    private const uint TestUid = 1234;
    private const uint TestGid = 5678;
    private static readonly UnixFileMode s_mode0640 = (UnixFileMode)Convert.ToInt32("640", 8);
    private readonly TempDirectory _temp = new();
    private readonly LinuxUnixMetadataProvider _provider = LinuxUnixMetadataProvider.Instance;

    public void Dispose() => _temp.Dispose();

    [RootTheory]
    [Trait("Category", "Interop")]
    [InlineData(UnixFileType.CharacterDevice, 5u, 1u)]
    [InlineData(UnixFileType.CharacterDevice, 4095u, 1048575u)]
    [InlineData(UnixFileType.BlockDevice, 259u, 7u)]
    public void CreateDevice_AsRoot_CreatesTheNode(UnixFileType type, uint major, uint minor)
    {
        var path = _temp.Combine("node");

        _provider.CreateDevice(path, type, s_mode0640, major, minor);

        var status = StatOracle.Read(path);
        status.Type.Should().Be(type);
        (status.DeviceMajor, status.DeviceMinor).Should().Be((major, minor));
    }

    [Fact]
    public void CreateDevice_NotADeviceType_ThrowsArgumentOutOfRange()
    {
        var act = () => _provider.CreateDevice(_temp.Combine("x"), UnixFileType.Fifo, s_mode0640, 1, 1);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("type");
    }

    [RootFact]
    public void CreateDevice_Existing_ThrowsIOExceptionNamingIt()
    {
        var path = _temp.Combine("taken");
        File.WriteAllText(path, "x");

        var act = () => _provider.CreateDevice(path, UnixFileType.CharacterDevice, s_mode0640, 1, 3);

        act.Should().Throw<IOException>().WithMessage($"*{path}*File exists*");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void CreateFifoAndSocket_CreateTheirTypes()
    {
        _provider.CreateFifo(_temp.Combine("fifo"), s_mode0640);
        _provider.CreateSocket(_temp.Combine("sock"), s_mode0640);

        StatOracle.Read(_temp.Combine("fifo")).Type.Should().Be(UnixFileType.Fifo);
        StatOracle.Read(_temp.Combine("sock")).Type.Should().Be(UnixFileType.Socket);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void CreateHardLink_SharesTheInode()
    {
        var first = _temp.Combine("a");
        File.WriteAllText(first, "data");

        _provider.CreateHardLink(first, _temp.Combine("b"));

        var a = StatOracle.Read(first);
        var b = StatOracle.Read(_temp.Combine("b"));
        b.Inode.Should().Be(a.Inode);
        b.LinkCount.Should().Be(2);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void CreateHardLink_ToSymbolicLink_LinksTheLinkItself()
    {
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, "/nonexistent");

        _provider.CreateHardLink(link, _temp.Combine("link2"));

        var status = StatOracle.Read(_temp.Combine("link2"));
        status.Type.Should().Be(UnixFileType.SymbolicLink);
        status.Inode.Should().Be(StatOracle.Read(link).Inode);
    }

    [Fact]
    public void CreateHardLink_MissingSource_ThrowsFileNotFoundNamingIt()
    {
        var missing = _temp.Combine("missing");

        var act = () => _provider.CreateHardLink(missing, _temp.Combine("new"));

        act.Should().Throw<FileNotFoundException>().Which.FileName.Should().Be(missing);
    }

    [Fact]
    public void CreateHardLink_NewPathExists_ThrowsIOException()
    {
        File.WriteAllText(_temp.Combine("a"), "a");
        File.WriteAllText(_temp.Combine("b"), "b");

        var act = () => _provider.CreateHardLink(_temp.Combine("a"), _temp.Combine("b"));

        act.Should().Throw<IOException>().WithMessage($"*{_temp.Combine("b")}*");
    }

    [RootFact]
    [Trait("Category", "Interop")]
    public void SetOwner_SymbolicLink_ChangesTheLinkNotTheTarget()
    {
        var target = _temp.Combine("target");
        File.WriteAllText(target, "x");
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, target);

        _provider.SetOwner(link, TestUid, TestGid);

        (StatOracle.Read(link).Uid, StatOracle.Read(link).Gid).Should().Be((TestUid, TestGid));
        StatOracle.Read(target).Uid.Should().Be(0);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("4755")]
    [InlineData("2755")]
    [InlineData("1777")]
    [InlineData("7777")]
    [InlineData("0000")]
    public void SetMode_SpecialBits_AreKept(string octal)
    {
        var path = _temp.Combine("file");
        File.WriteAllText(path, "x");
        var mode = (UnixFileMode)Convert.ToInt32(octal, 8);

        _provider.SetMode(path, mode);

        StatOracle.Read(path).Mode.Should().Be(mode);
    }

    [RootTheory] // chown to another owner needs root
    [Trait("Category", "Interop")]
    [InlineData("4755")]
    [InlineData("2755")]
    [InlineData("1777")]
    [InlineData("7777")]
    [InlineData("0000")]
    public void SetMode_AfterSetOwner_KeepsSpecialBits(string octal)
    {
        var path = _temp.Combine("file");
        File.WriteAllText(path, "x");
        var mode = (UnixFileMode)Convert.ToInt32(octal, 8);
        _provider.SetOwner(path, TestUid, TestGid);

        _provider.SetMode(path, mode);

        StatOracle.Read(path).Mode.Should().Be(mode);
    }

    [RootFact]
    [Trait("Category", "Interop")]
    public void SetOwner_AfterSetMode_ClearsSetUserId()
    {
        // Why the extractor applies the mode after the owner.
        var path = _temp.Combine("file");
        File.WriteAllText(path, "x");
        _provider.SetMode(path, (UnixFileMode)Convert.ToInt32("4755", 8));

        _provider.SetOwner(path, TestUid, TestGid);

        StatOracle.Read(path).Mode.Should().NotHaveFlag(UnixFileMode.SetUser);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("2100-01-01T00:00:00.1234567+00:00")]
    [InlineData("1970-01-02T00:00:00+00:00")]
    [InlineData("1960-06-15T12:30:45.9876543+00:00")]
    [InlineData("1969-12-31T23:59:59.5+00:00")]
    public void SetModificationTime_File_IsExact(string time)
    {
        var path = _temp.Combine("file");
        File.WriteAllText(path, "x");
        var expected = DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);

        _provider.SetModificationTime(path, expected);

        StatOracle.Read(path).ModificationTime.Should().Be(expected);
        _provider.GetStatus(path).ModificationTime.Should().Be(expected);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void SetModificationTime_SymbolicLink_DoesNotTouchTheTarget()
    {
        var target = _temp.Combine("target");
        File.WriteAllText(target, "x");
        var targetTime = StatOracle.Read(target).ModificationTime;
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, target);
        var expected = new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero);

        _provider.SetModificationTime(link, expected);

        StatOracle.Read(link).ModificationTime.Should().Be(expected);
        StatOracle.Read(target).ModificationTime.Should().Be(targetTime);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void SetModificationTime_DanglingSymbolicLink_Works()
    {
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, "/nonexistent/target");
        var expected = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

        _provider.SetModificationTime(link, expected);

        StatOracle.Read(link).ModificationTime.Should().Be(expected);
    }

    [Fact]
    public void SetMode_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        var path = _temp.Combine("missing");

        var act = () => _provider.SetMode(path, s_mode0640);

        act.Should().Throw<FileNotFoundException>().Which.FileName.Should().Be(path);
    }

    [Fact]
    public void SetOwner_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        var path = _temp.Combine("missing");

        var act = () => _provider.SetOwner(path, 1, 1);

        act.Should().Throw<FileNotFoundException>().Which.FileName.Should().Be(path);
    }
}
