using System.Text;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Tests.Trees;
using static Xcat.Imaging.Tests.Cpio.CpioTestArchives;

namespace Xcat.Imaging.Tests.Cpio;

/// <summary>
/// Hard-link groups are keyed by (device major, device minor, inode) and forgotten at each <c>TRAILER!!!</c>, as the
/// kernel's <c>init/initramfs.c</c> and GNU cpio do: files that only share an inode number are never merged.
/// </summary>
public sealed class CpioHardLinkKeyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_SameInodeOnTwoDevices_GivesTwoGroups()
    {
        // Interleaved, data on the last member of each group, as GNU cpio writes them.
        var archive = Write(
        [
            Linked("a1", [], 5, 8, 1), Linked("b1", [], 5, 8, 2),
            Linked("a2", "AAAA"u8.ToArray(), 5, 8, 1), Linked("b2", "BB"u8.ToArray(), 5, 8, 2),
        ]);

        var destination = await ExtractAsync(archive);

        Read(destination, "a1").Should().Be("AAAA");
        Read(destination, "b1").Should().Be("BB");
        var snapshot = TreeSnapshot.Capture(destination);
        snapshot.Entries["a1"].HardLinkGroup.Should().Be("a1|a2");
        snapshot.Entries["b2"].HardLinkGroup.Should().Be("b1|b2");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_SameKeyInAConcatenatedArchive_IsAnotherFile()
    {
        // The first archive's group is incomplete (its other name was not archived), so only the trailer ends it.
        var first = Write([Linked("x1", "first"u8.ToArray(), 0, 0, 0, linkCount: 2)]);
        var second = Write([Linked("y1", "second"u8.ToArray(), 0, 0, 0, linkCount: 2)]);

        var destination = await ExtractAsync([.. first, .. second]);

        Read(destination, "x1").Should().Be("first");
        Read(destination, "y1").Should().Be("second");
        TreeSnapshot.Capture(destination).Entries["x1"].HardLinkGroup.Should().BeNull();
    }

    [Fact]
    public async Task Inspect_SameInodeOnTwoDevices_GivesTwoInodes()
    {
        var archive = Write([Linked("a1", [], 5, 8, 1), Linked("b1", "b"u8.ToArray(), 5, 8, 2), Linked("a2", "a"u8.ToArray(), 5, 8, 1)]);

        var entries = new List<Imaging.Trees.TreeEntry>();
        await foreach (var entry in new RamdiskInspector().EnumerateEntriesAsync(new MemoryStream(archive)))
        {
            entries.Add(entry);
        }

        entries.Select(e => e.Inode).Should().Equal(1UL, 2UL, 1UL);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Extract_TwoConcatenatedGnuCpioArchivesWithRenumberedInodes_MatchesGnuCpioExtractingEach()
    {
        // GNU cpio --renumber-inodes starts every archive at inode 0; each archive holds one name of a two-name file.
        var source = _temp.Combine("source");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "x1"), "first\n");
        HostCommand.Run("ln", Path.Combine(source, "x1"), Path.Combine(source, "x2"));
        await File.WriteAllTextAsync(Path.Combine(source, "y1"), "second\n");
        HostCommand.Run("ln", Path.Combine(source, "y1"), Path.Combine(source, "y2"));
        var first = await GnuCpioAsync(source, "x1");
        var second = await GnuCpioAsync(source, "y1");

        var gnu = _temp.Combine("gnu");
        Directory.CreateDirectory(gnu);
        foreach (var archive in new[] { first, second })
        {
            (await ExternalTool.RunAsync("cpio", ["-idm", "--quiet"], gnu, new MemoryStream(archive))).EnsureSuccess();
        }

        var ours = await ExtractAsync([.. first, .. second]);

        new TreeComparer(GnuCpioWithoutRoot()).AssertEqual(gnu, ours);
        Read(ours, "x1").Should().Be("first\n");
        Read(ours, "y1").Should().Be("second\n");
    }

    [RootFact]
    [Trait("Category", "Interop")]
    public async Task Extract_GnuCpioArchiveOfTwoFileSystemsWithTheSameInodes_MatchesGnuCpio()
    {
        // Two fresh tmpfs number their files alike: m1/f and m2/f share an inode number, not a device.
        var source = _temp.Combine("source");
        foreach (var mount in new[] { "m1", "m2" })
        {
            Directory.CreateDirectory(Path.Combine(source, mount));
        }

        using var m1 = new TmpfsMount(Path.Combine(source, "m1"));
        using var m2 = new TmpfsMount(Path.Combine(source, "m2"));
        foreach (var mount in new[] { "m1", "m2" })
        {
            await File.WriteAllTextAsync(Path.Combine(source, mount, "f"), $"data of {mount}\n");
            HostCommand.Run("ln", Path.Combine(source, mount, "f"), Path.Combine(source, mount, "g"));
        }

        var status1 = StatOracle.Read(Path.Combine(source, "m1", "f"));
        var status2 = StatOracle.Read(Path.Combine(source, "m2", "f"));
        status1.Inode.Should().Be(status2.Inode, "the test needs the same inode number on both file systems");
        (status1.FileSystemMinor, status1.FileSystemMajor).Should().NotBe((status2.FileSystemMinor, status2.FileSystemMajor));

        // Only f of each pair: both groups stay incomplete to the end of the archive.
        var archive = await GnuCpioAsync(source, "m1\nm1/f\nm2", "m2/f", renumber: false);
        var gnu = _temp.Combine("gnu");
        Directory.CreateDirectory(gnu);
        (await ExternalTool.RunAsync("cpio", ["-idm", "--quiet"], gnu, new MemoryStream(archive))).EnsureSuccess();

        var ours = await ExtractAsync(archive);

        new TreeComparer(GnuCpioWithoutRoot()).AssertEqual(gnu, ours);
        Read(ours, "m1/f").Should().Be("data of m1\n");
        Read(ours, "m2/f").Should().Be("data of m2\n");
    }

    private static CpioEntry Linked(string name, byte[] data, uint inode, uint major, uint minor, uint linkCount = 2)
    {
        var entry = FileEntry(name, data, inode, linkCount: linkCount);
        entry.FileSystemMajor = major;
        entry.FileSystemMinor = minor;
        return entry;
    }

    private static TreeComparisonOptions GnuCpioWithoutRoot()
    {
        var options = ComparisonPresets.GnuCpio();
        options.CompareRoot = false;
        return options;
    }

    private static string Read(string root, string name) => File.ReadAllText(Path.Combine(root, name), Encoding.UTF8);

    private static async Task<byte[]> GnuCpioAsync(string directory, string name, string? other = null, bool renumber = true)
    {
        var names = other is null ? name + "\n" : name + "\n" + other + "\n";
        string[] args = renumber ? ["-o", "-H", "newc", "--quiet", "--renumber-inodes", "--ignore-devno"] : ["-o", "-H", "newc", "--quiet"];
        var result = await ExternalTool.RunAsync("cpio", args, directory, new MemoryStream(Encoding.UTF8.GetBytes(names)));
        return result.EnsureSuccess().StandardOutput;
    }

    private async Task<string> ExtractAsync(byte[] archive)
    {
        var destination = _temp.Combine("ours-" + Guid.NewGuid().ToString("N"));
        await new RamdiskUnpacker().ExtractAsync(new MemoryStream(archive), destination);
        return destination;
    }
}
