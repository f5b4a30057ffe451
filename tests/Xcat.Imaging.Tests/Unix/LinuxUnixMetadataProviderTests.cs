using System.Runtime.Versioning;
using System.Text;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Unix;

[SupportedOSPlatform("linux")]
public sealed class LinuxUnixMetadataProviderTests : IDisposable
{
    private const uint TestUid = 1234;
    private const uint TestGid = 5678;
    private readonly TempDirectory _temp = new();
    private readonly LinuxUnixMetadataProvider _provider = LinuxUnixMetadataProvider.Instance;

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Interop")]
    public void GetStatus_RegularFile_MatchesStat()
    {
        var path = _temp.Combine("file");
        File.WriteAllText(path, "hello, world\n");

        var status = _provider.GetStatus(path);

        status.Should().Be(StatOracle.Read(path));
        status.Type.Should().Be(UnixFileType.RegularFile);
        status.Length.Should().Be(13);
        status.LinkCount.Should().Be(1);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void GetStatus_Directory_MatchesStat()
    {
        var path = _temp.Combine("dir");
        Directory.CreateDirectory(path);

        var status = _provider.GetStatus(path);

        status.Should().Be(StatOracle.Read(path));
        status.Type.Should().Be(UnixFileType.Directory);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("file")]
    [InlineData("does-not-exist")]
    [InlineData("/etc/passwd")]
    public void GetStatus_SymbolicLink_DescribesTheLinkItself(string target)
    {
        File.WriteAllText(_temp.Combine("file"), new string('x', 1000));
        var path = _temp.Combine("link");
        File.CreateSymbolicLink(path, target);

        var status = _provider.GetStatus(path);

        status.Should().Be(StatOracle.Read(path));
        status.Type.Should().Be(UnixFileType.SymbolicLink);
        status.Length.Should().Be(Encoding.UTF8.GetByteCount(target));
        _provider.GetSymbolicLinkTarget(path).Should().Be(target);
    }

    [Fact]
    public void GetSymbolicLinkTarget_NotALink_ReturnsNull()
    {
        var path = _temp.Combine("file");
        File.WriteAllText(path, "x");

        _provider.GetSymbolicLinkTarget(path).Should().BeNull();
    }

    [Fact]
    public void GetSymbolicLinkTarget_LongUnicodeTarget_ReturnsItWhole()
    {
        var target = string.Concat(Enumerable.Repeat("dïr-✓/", 150)) + "end";
        var path = _temp.Combine("link");
        File.CreateSymbolicLink(path, target);

        _provider.GetSymbolicLinkTarget(path).Should().Be(target);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void GetStatus_Fifo_MatchesStat()
    {
        var path = _temp.Combine("fifo");
        HostCommand.Run("mkfifo", "-m", "0640", path);

        var status = _provider.GetStatus(path);

        status.Should().Be(StatOracle.Read(path));
        status.Type.Should().Be(UnixFileType.Fifo);
        status.Mode.Should().Be((UnixFileMode)Convert.ToInt32("640", 8));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void GetStatus_Socket_MatchesStat()
    {
        var path = _temp.Combine("sock");
        HostCommand.CreateSocket(path);

        var status = _provider.GetStatus(path);

        status.Should().Be(StatOracle.Read(path));
        status.Type.Should().Be(UnixFileType.Socket);
    }

    [RootTheory]
    [Trait("Category", "Interop")]
    [InlineData("c", 1, 3, UnixFileType.CharacterDevice)]
    [InlineData("c", 4095, 1048575, UnixFileType.CharacterDevice)]
    [InlineData("b", 7, 0, UnixFileType.BlockDevice)]
    public void GetStatus_DeviceNode_MatchesStatWithDeviceNumbers(string kind, uint major, uint minor, UnixFileType expectedType)
    {
        var path = _temp.Combine("dev");
        HostCommand.Run("mknod", path, kind, major.ToString(), minor.ToString());

        var status = _provider.GetStatus(path);

        status.Should().Be(StatOracle.Read(path));
        status.Type.Should().Be(expectedType);
        (status.DeviceMajor, status.DeviceMinor).Should().Be((major, minor));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void GetStatus_HardLinks_ShareInodeAndCountTwo()
    {
        var first = _temp.Combine("a");
        var second = _temp.Combine("b");
        File.WriteAllText(first, "data");
        HostCommand.Run("ln", first, second);

        var a = _provider.GetStatus(first);
        var b = _provider.GetStatus(second);

        a.Should().Be(StatOracle.Read(first));
        b.Should().Be(a);
        a.LinkCount.Should().Be(2);
        a.Inode.Should().Be(StatOracle.Read(second).Inode);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void GetStatus_FilesOnDifferentFileSystems_ReportTheirOwnDevice()
    {
        var onTemp = _provider.GetStatus(_temp.Path);
        var onProc = _provider.GetStatus("/proc/self");

        (onTemp.FileSystemMajor, onTemp.FileSystemMinor).Should().Be((StatOracle.Read(_temp.Path).FileSystemMajor, StatOracle.Read(_temp.Path).FileSystemMinor));
        (onProc.FileSystemMajor, onProc.FileSystemMinor).Should().NotBe((onTemp.FileSystemMajor, onTemp.FileSystemMinor));
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("file", "4755")]
    [InlineData("file", "2711")]
    [InlineData("file", "6000")]
    [InlineData("dir", "2775")]
    [InlineData("dir", "1777")]
    [InlineData("dir", "7000")]
    public void GetStatus_SpecialModeBits_AreReported(string kind, string octal)
    {
        var path = _temp.Combine(kind);
        if (kind == "dir")
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            File.WriteAllText(path, "x");
        }

        HostCommand.Run("chmod", octal, path);

        var status = _provider.GetStatus(path);

        status.Mode.Should().Be((UnixFileMode)Convert.ToInt32(octal, 8));
        status.Should().Be(StatOracle.Read(path));
    }

    [RootFact]
    [Trait("Category", "Interop")]
    public void GetStatus_OtherOwner_IsReported()
    {
        var path = _temp.Combine("owned");
        File.WriteAllText(path, "x");
        HostCommand.Run("chown", $"{TestUid}:{TestGid}", path);

        var status = _provider.GetStatus(path);

        (status.Uid, status.Gid).Should().Be((TestUid, TestGid));
        status.Should().Be(StatOracle.Read(path));
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("2100-01-01 00:00:00.123456789 UTC", "2100-01-01T00:00:00.1234567+00:00")]
    [InlineData("1960-06-15 12:30:45.987654321 UTC", "1960-06-15T12:30:45.9876543+00:00")]
    [InlineData("1970-01-01 00:00:00 UTC", "1970-01-01T00:00:00+00:00")]
    [InlineData("1969-12-31 23:59:59.5 UTC", "1969-12-31T23:59:59.5+00:00")]
    public void GetStatus_FutureAndPre1970Times_AreExact(string touchTime, string expected)
    {
        var path = _temp.Combine("timed");
        File.WriteAllText(path, "x");
        HostCommand.Run("touch", "-d", touchTime, path);

        var status = _provider.GetStatus(path);

        status.ModificationTime.Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        status.Should().Be(StatOracle.Read(path));
    }

    [Fact]
    public void GetStatus_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        var path = _temp.Combine("missing");

        var act = () => _provider.GetStatus(path);

        act.Should().Throw<FileNotFoundException>().Which.Should().Match<FileNotFoundException>(e => e.FileName == path && e.Message.Contains(path));
        _provider.TryGetStatus(path, out _).Should().BeFalse();
    }

    [Fact]
    public void GetStatus_MissingDirectory_ThrowsDirectoryNotFoundNamingIt()
    {
        var path = _temp.Combine("no-such-dir", "file");

        var act = () => _provider.GetStatus(path);

        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"*{path}*");
        _provider.TryGetStatus(path, out _).Should().BeFalse();
    }

    [NonRootFact] // root bypasses the permission check
    public void GetStatus_UnsearchableDirectory_ThrowsUnauthorizedAccessForNonRoot()
    {
        var dir = LockedDirectory();
        try
        {
            var act = () => _provider.GetStatus(Path.Combine(dir, "f"));

            act.Should().Throw<UnauthorizedAccessException>().WithMessage($"*{dir}*");
        }
        finally
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [RootFact]
    public void GetStatus_UnsearchableDirectory_IsReadForRoot()
    {
        var dir = LockedDirectory();
        try
        {
            var act = () => _provider.GetStatus(Path.Combine(dir, "f"));

            act.Should().NotThrow();
        }
        finally
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void GetStatus_EmptyPath_ThrowsArgumentException()
    {
        var act = () => _provider.GetStatus(string.Empty);

        act.Should().Throw<ArgumentException>().WithParameterName("path");
    }

    /// <summary>A directory with mode 000 holding the file <c>f</c>.</summary>
    private string LockedDirectory()
    {
        var dir = _temp.Combine("locked");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "f"), "x");
        File.SetUnixFileMode(dir, UnixFileMode.None);
        return dir;
    }
}
