using System.IO.Abstractions.TestingHelpers;
using System.Runtime.Versioning;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Trees;

[UnsupportedOSPlatform("windows")]
public sealed class TreeWalkerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly TreeWalker _walker = new();

    public TreeWalkerTests()
    {
        _root = _temp.Combine("root");
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    private string P(string relative) => Path.Combine(_root, relative);

    private void Files(params string[] names)
    {
        foreach (var name in names)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(P(name))!);
            File.WriteAllText(P(name), name);
        }
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Walk_SampleTree_YieldsEveryObjectWithStatMetadata()
    {
        SampleTree.Create(_root);
        var expected = StatOracle.ReadTree(_root);

        var entries = _walker.Walk(_root).ToList();

        entries.Select(e => e.Name).Should().BeEquivalentTo(expected.Keys);
        foreach (var entry in entries)
        {
            var status = expected[entry.Name];
            entry.Type.Should().Be(status.Type, entry.Name);
            entry.Mode.Should().Be(status.Mode, entry.Name);
            (entry.Uid, entry.Gid).Should().Be((status.Uid, status.Gid), entry.Name);
            entry.ModificationTime.Should().Be(status.ModificationTime, entry.Name);
            (entry.DeviceMajor, entry.DeviceMinor).Should().Be((status.DeviceMajor, status.DeviceMinor), entry.Name);
            entry.SourcePath.Should().Be(entry.Name == "." ? _root : P(entry.Name));
            entry.LinkTarget.Should().Be(status.Type == UnixFileType.SymbolicLink ? new FileInfo(P(entry.Name)).LinkTarget : null, entry.Name);
            entry.HardLinkTarget.Should().BeNull();
            entry.ExtendedAttributes.Should().BeEmpty();
            if (status.Type == UnixFileType.RegularFile && status.LinkCount == 1)
            {
                entry.Length.Should().Be(status.Length, entry.Name);
            }
            else if (status.Type != UnixFileType.RegularFile)
            {
                entry.Length.Should().Be(0, entry.Name);
            }
        }
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Walk_Order_IsFindSortedByBytes()
    {
        // '-' (0x2D) and '.' sort before '/', so a-b and a.c come between a and a/b; U+E000 is below U+1F680 in UTF-8.
        Files("a/b/c", "a-b", "a.c", "a b", "B", "é", "\uE000", "🚀", "a/b-c", "a/bc", "ab/x", "Z/y", ".hidden", "a/.dot");
        Directory.CreateDirectory(P("a/empty"));
        File.CreateSymbolicLink(P("a/link"), "b");
        var expected = HostCommand.Run("sh", "-c", "cd \"$1\" && find . | LC_ALL=C sort", "sh", _root)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line == "." ? "." : line[2..]);

        var names = _walker.Walk(_root).Select(e => e.Name);

        names.Should().Equal(expected);
        names.Should().ContainInOrder(".hidden", "a", "a b", "a-b", "a.c", "a/.dot", "a/b", "a/b-c", "a/b/c", "a/bc");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Walk_Always_PutsParentsBeforeChildren()
    {
        SampleTree.Create(_root);
        var seen = new HashSet<string>();

        foreach (var entry in _walker.Walk(_root))
        {
            var slash = entry.Name.LastIndexOf('/');
            var parent = slash < 0 ? "." : entry.Name[..slash];
            if (entry.Name != ".")
            {
                seen.Should().Contain(parent, $"{entry.Name} comes after its parent");
            }

            seen.Add(entry.Name);
        }
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Walk_Inodes_AreRenumberedOneToNInStreamOrderWithGroupsShared()
    {
        SampleTree.Create(_root);

        var entries = _walker.Walk(_root).ToList();

        var distinct = entries.Select(e => e.Inode).Distinct().ToList();
        distinct.Should().Equal(Enumerable.Range(1, distinct.Count).Select(i => (ulong)i), "first sightings number 1..N in order");
        entries.Where(e => SampleTree.TripleLink.Contains(e.Name)).Select(e => e.Inode).Distinct().Should().ContainSingle();
        entries.Where(e => SampleTree.PairLink.Contains(e.Name)).Select(e => e.Inode).Distinct().Should().ContainSingle();
        entries.Count(e => e.IsHardLinkGroupMember).Should().Be(7);
        entries.Should().OnlyContain(e => e.Type != UnixFileType.Directory || e.LinkCount == 2);
        entries.Where(e => e.Type != UnixFileType.Directory && !e.IsHardLinkGroupMember).Should().OnlyContain(e => e.LinkCount == 1);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Walk_HardLinkGroupDefault_LastMemberInStreamOrderCarriesTheData()
    {
        SampleTree.Create(_root);
        var size = new FileInfo(P(SampleTree.TripleLink[0])).Length;

        var group = _walker.Walk(_root).Where(e => SampleTree.TripleLink.Contains(e.Name)).ToList();

        group.Select(e => e.Name).Should().Equal(SampleTree.TripleLink);
        group.Select(e => e.Length).Should().Equal(0, 0, size);
        group.Should().OnlyContain(e => e.LinkCount == 3 && e.HardLinkTarget == null);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Walk_HardLinkDataFirst_FirstMemberCarriesTheDataAndLaterOnesNameIt()
    {
        SampleTree.Create(_root);
        var size = new FileInfo(P(SampleTree.TripleLink[0])).Length;

        var group = _walker.Walk(_root, new TreeWalkOptions { HardLinkData = HardLinkDataPlacement.First })
            .Where(e => SampleTree.TripleLink.Contains(e.Name)).ToList();

        group.Select(e => e.Length).Should().Equal(size, 0, 0);
        group.Select(e => e.HardLinkTarget).Should().Equal(null, SampleTree.TripleLink[0], SampleTree.TripleLink[0]);
        group.Should().OnlyContain(e => e.LinkCount == 3);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Walk_HardLinkWithOtherNameOutsideTheTree_IsAPlainFile()
    {
        Files("inside");
        HostCommand.Run("ln", P("inside"), _temp.Combine("outside"));

        var entry = _walker.Walk(_root).Single(e => e.Name == "inside");

        (entry.LinkCount, entry.Length, entry.IsHardLinkGroupMember).Should().Be((1u, 6L, false));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Walk_FilterDropsOneMember_LinkCountCoversOnlyTheEntriesYielded()
    {
        SampleTree.Create(_root);
        var options = new TreeWalkOptions { Filter = name => name != SampleTree.TripleLink[1] };

        var group = _walker.Walk(_root, options).Where(e => SampleTree.TripleLink.Contains(e.Name)).ToList();

        group.Select(e => e.Name).Should().Equal(SampleTree.TripleLink[0], SampleTree.TripleLink[2]);
        group.Should().OnlyContain(e => e.LinkCount == 2);
        group[1].Length.Should().BePositive();
    }

    [Fact]
    public void Walk_FilterExcludesADirectory_ItsChildrenAreStillYielded()
    {
        Files("usr/share/doc/readme", "usr/bin/x");
        var offered = new List<string>();
        var options = new TreeWalkOptions { Filter = name => { offered.Add(name); return name != "usr/share/doc"; } };

        var names = _walker.Walk(_root, options).Select(e => e.Name).ToList();

        names.Should().Equal(".", "usr", "usr/bin", "usr/bin/x", "usr/share", "usr/share/doc/readme");
        offered.Should().Contain("usr/share/doc");
    }

    [Fact]
    public void Walk_IncludeRootFalse_LeavesOutTheDot()
    {
        Files("a");

        _walker.Walk(_root, new TreeWalkOptions { IncludeRoot = false }).Select(e => e.Name).Should().Equal("a");
        _walker.Walk(_root).First().Should().Match<TreeEntry>(e => e.Name == "." && e.Type == UnixFileType.Directory && e.Inode == 1);
    }

    [Fact]
    public void Walk_SymbolicLinkToDirectory_IsNotEntered()
    {
        Files("real/file");
        Directory.CreateSymbolicLink(P("alias"), "real");

        var entries = _walker.Walk(_root).ToList();

        entries.Select(e => e.Name).Should().Equal(".", "alias", "real", "real/file");
        entries[1].Should().Match<TreeEntry>(e => e.Type == UnixFileType.SymbolicLink && e.LinkTarget == "real");
    }

    [Fact]
    public void Walk_RootIsASymbolicLink_FollowsIt()
    {
        Files("file");
        var alias = _temp.Combine("alias");
        Directory.CreateSymbolicLink(alias, _root);

        var entries = _walker.Walk(alias).ToList();

        entries.Select(e => e.Name).Should().Equal(".", "file");
        entries[0].Type.Should().Be(UnixFileType.Directory);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Walk_ReadExtendedAttributes_CarriesThem()
    {
        SampleTree.Create(_root);

        var entries = _walker.Walk(_root, new TreeWalkOptions { ReadExtendedAttributes = true }).ToDictionary(e => e.Name);

        entries["etc/hostname"].ExtendedAttributes["user.comment"].Should().Equal("written by SampleTree"u8.ToArray());
        entries["tmp"].ExtendedAttributes["user.dir"].Should().Equal(0, 1, 2);
    }

    [RootFact] // SampleTree sets the capability only as root
    [Trait("Category", "Interop")]
    public void Walk_ReadExtendedAttributes_CarriesTheCapability()
    {
        SampleTree.Create(_root);

        var entries = _walker.Walk(_root, new TreeWalkOptions { ReadExtendedAttributes = true }).ToDictionary(e => e.Name);

        entries["usr/bin/ping"].ExtendedAttributes.Should().ContainKey("security.capability");
    }

    [RootFact]
    [Trait("Category", "Interop")]
    public void Walk_StayOnFileSystem_ListsTheMountPointButNotItsContent()
    {
        Files("before", "mnt/.keep", "zafter");
        using var mount = new TmpfsMount(P("mnt"));
        File.WriteAllText(P("mnt/inside"), "on tmpfs");
        Directory.CreateDirectory(P("mnt/sub"));

        var staying = _walker.Walk(_root, new TreeWalkOptions { StayOnFileSystem = true }).Select(e => e.Name).ToList();
        var crossing = _walker.Walk(_root).Select(e => e.Name).ToList();

        staying.Should().Equal(".", "before", "mnt", "zafter");
        crossing.Should().Equal(".", "before", "mnt", "mnt/inside", "mnt/sub", "zafter");
    }

    [Fact]
    public void Walk_MissingRoot_ThrowsDirectoryNotFound()
    {
        var act = () => _walker.Walk(_temp.Combine("missing"));

        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"*{_temp.Combine("missing")}*");
    }

    [Fact]
    public void Walk_EmptyRoot_ThrowsArgumentException()
    {
        var act = () => _walker.Walk(string.Empty);

        act.Should().Throw<ArgumentException>().WithParameterName("rootDirectory");
    }

    [Fact]
    public void Walk_Cancelled_ThrowsOperationCanceled()
    {
        Files("a", "b", "c");
        using var cancellation = new CancellationTokenSource();
        var walked = 0;

        var act = () =>
        {
            foreach (var entry in _walker.Walk(_root, cancellationToken: cancellation.Token))
            {
                if (++walked == 2)
                {
                    cancellation.Cancel();
                }
            }
        };

        act.Should().Throw<OperationCanceledException>();
        walked.Should().Be(2);
    }

    [Fact]
    public void Walk_MockFileSystem_WorksThroughTheFileSystemProvider()
    {
        var fileSystem = new MockFileSystem();
        fileSystem.AddFile("/img/etc/hostname", new MockFileData("node01"));
        fileSystem.AddDirectory("/img/usr/lib");
        fileSystem.Directory.CreateSymbolicLink("/img/lib", "/img/usr/lib");
        var walker = new TreeWalker(fileSystem);

        var entries = walker.Walk("/img").ToList();

        entries.Select(e => (e.Name, e.Type)).Should().Equal(
            (".", UnixFileType.Directory),
            ("etc", UnixFileType.Directory),
            ("etc/hostname", UnixFileType.RegularFile),
            ("lib", UnixFileType.SymbolicLink),
            ("usr", UnixFileType.Directory),
            ("usr/lib", UnixFileType.Directory));
        using var reader = new StreamReader(walker.OpenRead(entries[2]));
        reader.ReadToEnd().Should().Be("node01");
    }

    [Fact]
    public void OpenRead_RegularFile_ReturnsItsContent()
    {
        Files("file");
        var entry = _walker.Walk(_root).Single(e => e.Name == "file");

        using var reader = new StreamReader(_walker.OpenRead(entry));

        reader.ReadToEnd().Should().Be("file");
    }

    [Fact]
    public void OpenRead_Directory_ThrowsInvalidOperation()
    {
        var act = () => _walker.OpenRead(_walker.Walk(_root).First());

        act.Should().Throw<InvalidOperationException>().WithMessage("*'.'*Directory*");
    }

    [Fact]
    public void HardLinkData_UndefinedValue_ThrowsArgumentOutOfRange()
    {
        var act = () => new TreeWalkOptions { HardLinkData = (HardLinkDataPlacement)7 };

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
    }
}
