using Xcat.Imaging.Cpio;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Trees;

namespace Xcat.Imaging.Tests.Cpio;

/// <summary>Whole trees through our writer and reader, GNU cpio and bsdtar, compared field by field.</summary>
[Trait("Category", "Interop")]
public sealed class CpioArchiveInteropTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _source;

    public CpioArchiveInteropTests()
    {
        _source = _temp.Combine("source");
        Directory.CreateDirectory(_source);
        SampleTree.Create(_source);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task OurArchive_ExtractedByGnuCpio_GivesAnIdenticalTree()
    {
        var archive = await CreateAsync(_source, "ours.cpio");
        var dest = _temp.Combine("gnu");
        Directory.CreateDirectory(dest);

        (await ExternalTool.ShellAsync($"cpio -idm --quiet --no-absolute-filenames < '{archive}'", dest)).EnsureSuccess();

        new TreeComparer(ComparisonPresets.GnuCpio()).AssertEqual(_source, dest);
    }

    [Theory]
    [InlineData("find . | cpio -o -H newc --quiet")]
    [InlineData("find . | cpio -o -H crc --quiet")]
    [InlineData("bsdtar --format newc -cf - .")]
    public async Task ForeignArchive_ExtractedByUs_GivesAnIdenticalTree(string command)
    {
        var archive = _temp.Combine("foreign.cpio");
        (await ExternalTool.ShellAsync($"{command} > '{archive}'", _source)).EnsureSuccess();
        var dest = _temp.Combine("ours");

        await using (var stream = File.OpenRead(archive))
        {
            await CpioArchive.ExtractToDirectoryAsync(stream, dest);
        }

        new TreeComparer(ComparisonPresets.Seconds()).AssertEqual(_source, dest);
    }

    [Fact]
    public async Task PackingTwice_GivesIdenticalBytes()
    {
        var first = await File.ReadAllBytesAsync(await CreateAsync(_source, "a.cpio"));
        var second = await File.ReadAllBytesAsync(await CreateAsync(_source, "b.cpio"));
        second.Should().Equal(first);
    }

    [Fact]
    public async Task HostileArchive_IsRefusedAndWritesNothingOutside()
    {
        var archive = new MemoryStream();
        await using (var writer = new CpioWriter(archive, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new CpioEntry(CpioEntryType.SymbolicLink, "escape") { LinkTarget = _temp.Path, Mode = (UnixFileMode)0x1FF });
            var file = new CpioEntry(CpioEntryType.RegularFile, "escape/pwned") { Mode = (UnixFileMode)0x1A4 };
            file.SetDataStream(new MemoryStream("x"u8.ToArray()), 1);
            await writer.WriteEntryAsync(file);
        }

        archive.Position = 0;
        var act = () => CpioArchive.ExtractToDirectoryAsync(archive, _temp.Combine("dest"));

        await act.Should().ThrowAsync<IOException>();
        File.Exists(_temp.Combine("pwned")).Should().BeFalse();
    }

    [Fact]
    [Trait("Category", "Debootstrap")]
    public async Task DebianRootFilesystem_RoundTripsThroughOurWriterAndReader()
    {
        var rootfs = await DebianRootFilesystem.GetAsync();
        var archive = await CreateAsync(rootfs, "debian.cpio", new TreeWalkOptions { StayOnFileSystem = true });
        var dest = _temp.Combine("debian");

        await using (var stream = File.OpenRead(archive))
        {
            var result = await CpioArchive.ExtractToDirectoryAsync(stream, dest);
            result.Files.Should().BeGreaterThan(5000);
        }

        new TreeComparer(ComparisonPresets.Seconds()).AssertEqual(rootfs, dest);

        // And GNU cpio reads the same archive into the same tree.
        var gnu = _temp.Combine("debian-gnu");
        Directory.CreateDirectory(gnu);
        (await ExternalTool.ShellAsync($"cpio -idm --quiet --no-absolute-filenames < '{archive}'", gnu)).EnsureSuccess();
        new TreeComparer(ComparisonPresets.GnuCpio()).AssertEqual(rootfs, gnu);
    }

    private async Task<string> CreateAsync(string root, string name, TreeWalkOptions? options = null)
    {
        var path = _temp.Combine(name);
        await using var stream = File.Create(path);
        await CpioArchive.CreateFromDirectoryAsync(root, stream, options);
        return path;
    }
}
