using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using System.Runtime.Versioning;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Unix;

[UnsupportedOSPlatform("windows")]
public sealed class FileSystemUnixMetadataProviderTests : IDisposable
{
    private static readonly UnixFileMode s_mode0750 = (UnixFileMode)Convert.ToInt32("750", 8);
    private static readonly DateTimeOffset s_time = new(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
    private readonly MockFileSystem _fileSystem = new();
    private readonly FileSystemUnixMetadataProvider _provider;
    private readonly TempDirectory _temp = new();

    public FileSystemUnixMetadataProviderTests()
    {
        _provider = new FileSystemUnixMetadataProvider(_fileSystem, defaultUid: 42, defaultGid: 43);
        _fileSystem.AddFile("/root/file", new MockFileData("hello") { UnixMode = s_mode0750, LastWriteTime = s_time.UtcDateTime });
        _fileSystem.AddDirectory("/root/dir");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GetStatus_MockFile_ReportsModeLengthTimeAndDefaultOwner()
    {
        var status = _provider.GetStatus("/root/file");

        status.Type.Should().Be(UnixFileType.RegularFile);
        status.Mode.Should().Be(s_mode0750);
        status.Length.Should().Be(5);
        status.ModificationTime.Should().Be(s_time);
        (status.Uid, status.Gid, status.LinkCount).Should().Be((42u, 43u, 1u));
        (status.DeviceMajor, status.DeviceMinor, status.FileSystemMajor, status.FileSystemMinor).Should().Be((0u, 0u, 0u, 0u));
    }

    [Fact]
    public void GetStatus_MockDirectory_IsDirectory()
    {
        _provider.GetStatus("/root/dir").Type.Should().Be(UnixFileType.Directory);
    }

    [Fact]
    public void GetStatus_SyntheticInode_IsStablePerPathAndDistinct()
    {
        var again = new FileSystemUnixMetadataProvider(_fileSystem);

        _provider.GetStatus("/root/file").Inode.Should().Be(again.GetStatus("/root/file").Inode);
        _provider.GetStatus("/root/file").Inode.Should().NotBe(_provider.GetStatus("/root/dir").Inode);
    }

    [Fact]
    public void GetStatus_MockDirectorySymbolicLink_IsASymbolicLink()
    {
        // Mock parity (style study §3.6): MockDirectory.CreateSymbolicLink stores a directory node with a LinkTarget.
        _fileSystem.Directory.CreateSymbolicLink("/root/dirlink", "/root/dir");

        _fileSystem.Directory.Exists("/root/dirlink").Should().BeTrue("the mock keeps a directory node for the link");
        var status = _provider.GetStatus("/root/dirlink");

        status.Type.Should().Be(UnixFileType.SymbolicLink);
        _provider.GetSymbolicLinkTarget("/root/dirlink").Should().Be("/root/dir");
    }

    [Fact]
    public void GetStatus_MockFileSymbolicLink_IsASymbolicLink()
    {
        _fileSystem.File.CreateSymbolicLink("/root/filelink", "/root/file");

        _provider.GetStatus("/root/filelink").Type.Should().Be(UnixFileType.SymbolicLink);
        _provider.GetStatus("/root/filelink").Length.Should().Be("/root/file".Length);
    }

    [Fact]
    public void MockFile_CreateSymbolicLinkToMissingTarget_Throws()
    {
        // Mock parity (style study §3.6): the mock cannot hold the dangling links a root image is full of.
        var act = () => _fileSystem.File.CreateSymbolicLink("/root/dangling", "/proc/self/mounts");

        act.Should().Throw<IOException>();
    }

    [Fact]
    public void MockDirectory_DefaultUnixMode_Is0644()
    {
        // Mock parity (style study §3.7): MockDirectoryData inherits MockFileData's 0644.
        _provider.GetStatus("/root/dir").Mode.Should().Be((UnixFileMode)Convert.ToInt32("644", 8));
    }

    [Fact]
    public void GetStatus_Missing_ThrowsFileNotFoundNamingIt()
    {
        var act = () => _provider.GetStatus("/root/missing");

        act.Should().Throw<FileNotFoundException>().Which.FileName.Should().Be("/root/missing");
        _provider.TryGetStatus("/root/missing", out _).Should().BeFalse();
    }

    [Fact]
    public void GetExtendedAttributes_Always_IsEmpty()
    {
        _provider.GetExtendedAttributes("/root/file").Should().BeEmpty();
    }

    [Fact]
    public void SetModeAndTime_MockFile_AreStored()
    {
        _provider.SetMode("/root/file", UnixFileMode.UserRead | UnixFileMode.SetUser);
        _provider.SetModificationTime("/root/file", s_time.AddYears(10));

        _fileSystem.File.GetUnixFileMode("/root/file").Should().Be(UnixFileMode.UserRead | UnixFileMode.SetUser);
        _provider.GetStatus("/root/file").ModificationTime.Should().Be(s_time.AddYears(10));
    }

    [Fact]
    public void SetModificationTime_SymbolicLink_ThrowsPlatformNotSupported()
    {
        _fileSystem.File.CreateSymbolicLink("/root/filelink", "/root/file");

        var act = () => _provider.SetModificationTime("/root/filelink", s_time);

        act.Should().Throw<PlatformNotSupportedException>();
    }

    [Fact]
    public void SetOwner_DefaultOwner_IsANoOpAndOtherOwnerIsNotSupported()
    {
        _provider.SetOwner("/root/file", 42, 43);

        var act = () => _provider.SetOwner("/root/file", 0, 0);

        act.Should().Throw<PlatformNotSupportedException>();
    }

    [Fact]
    public void UnsupportedWrites_ThrowPlatformNotSupported()
    {
        var actions = new Action[]
        {
            () => _provider.CreateDevice("/root/dev", UnixFileType.CharacterDevice, s_mode0750, 1, 3),
            () => _provider.CreateFifo("/root/fifo", s_mode0750),
            () => _provider.CreateSocket("/root/sock", s_mode0750),
            () => _provider.CreateHardLink("/root/file", "/root/link"),
            () => _provider.SetExtendedAttribute("/root/file", "user.x", [1]),
        };

        foreach (var action in actions)
        {
            action.Should().Throw<PlatformNotSupportedException>();
        }
    }

    [LinuxFact]
    [SupportedOSPlatform("linux")]
    public void GetStatus_RealFileSystem_AgreesWithLinuxProviderOnWhatItModels()
    {
        var portable = new FileSystemUnixMetadataProvider(new FileSystem());
        File.WriteAllText(_temp.Combine("file"), "content");
        Directory.CreateDirectory(_temp.Combine("dir"));
        File.CreateSymbolicLink(_temp.Combine("link"), "file");
        File.CreateSymbolicLink(_temp.Combine("dangling"), "missing");

        foreach (var name in new[] { "file", "dir", "link", "dangling" })
        {
            var path = _temp.Combine(name);
            var expected = LinuxUnixMetadataProvider.Instance.GetStatus(path);
            var actual = portable.GetStatus(path);
            actual.Type.Should().Be(expected.Type, name);
            actual.Mode.Should().Be(expected.Mode, name);
            if (expected.Type != UnixFileType.Directory)
            {
                actual.Length.Should().Be(expected.Length, name);
            }

            if (expected.Type == UnixFileType.RegularFile)
            {
                actual.ModificationTime.Should().Be(expected.ModificationTime, name);
            }
        }
    }

    [Fact]
    public void Constructor_NullFileSystem_ThrowsArgumentNull()
    {
        var act = () => new FileSystemUnixMetadataProvider(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("fileSystem");
    }
}
