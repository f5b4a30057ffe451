using System.Runtime.Versioning;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Unix;
using Xunit.Sdk;

namespace Xcat.Imaging.Tests.Trees;

/// <summary>The TestKit oracle must see every kind of difference, or the round-trip tests prove nothing.</summary>
[UnsupportedOSPlatform("windows")]
[Trait("Category", "Interop")]
public sealed class TreeComparerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _source;
    private readonly string _copy;

    public TreeComparerTests()
    {
        _source = _temp.Combine("source");
        _copy = _temp.Combine("copy");
        Directory.CreateDirectory(_source);
        SampleTree.Create(_source);
        HostCommand.Run("cp", "-a", _source, _copy);
    }

    public void Dispose() => _temp.Dispose();

    private string Copy(string relative) => Path.Combine(_copy, relative);

    [Fact]
    public void Compare_CopyMadeWithCpA_HasNoDifferences()
    {
        var comparer = new TreeComparer(new TreeComparisonOptions { CompareExtendedAttributes = true });

        comparer.Compare(_source, _copy).Should().BeEmpty();
    }

    [Fact]
    public void Compare_SampleTree_HasEveryEntryKind()
    {
        var snapshot = TreeSnapshot.Capture(_source, extendedAttributes: true);

        var types = snapshot.Entries.Values.Select(e => e.Status.Type).Distinct().ToList();
        types.Should().Contain([UnixFileType.RegularFile, UnixFileType.Directory, UnixFileType.SymbolicLink,
            UnixFileType.Fifo, UnixFileType.Socket]);
        snapshot.Entries[SampleTree.TripleLink[1]].HardLinkGroup.Should().Be(string.Join('|', SampleTree.TripleLink));
        snapshot.Entries["etc/hostname"].ExtendedAttributes.Should().ContainKey("user.comment");
    }

    [RootFact] // SampleTree makes devices, capabilities and foreign owners only as root
    public void Compare_SampleTree_HasDevicesCapabilityAndForeignOwner()
    {
        var snapshot = TreeSnapshot.Capture(_source, extendedAttributes: true);

        snapshot.Entries.Values.Select(e => e.Status.Type).Should().Contain([UnixFileType.CharacterDevice, UnixFileType.BlockDevice]);
        snapshot.Entries["usr/bin/ping"].ExtendedAttributes.Should().ContainKey("security.capability");
        snapshot.Entries["dangling"].Status.Uid.Should().Be(SampleTree.TestUid);
    }

    [Fact]
    public void Compare_EveryKindOfChange_IsReported()
    {
        File.SetUnixFileMode(Copy("bin/su"), (UnixFileMode)Convert.ToInt32("755", 8));
        HostCommand.Run("touch", "-h", "-d", "2000-01-01 UTC", Copy("dangling"));
        File.WriteAllText(Copy("etc/hostname"), "node02\n"); // same size
        File.WriteAllText(Copy("empty"), "x");
        File.Delete(Copy("lib"));
        File.CreateSymbolicLink(Copy("lib"), "usr/lib64");
        File.Delete(Copy(SampleTree.PairLink[1]));
        File.Copy(Copy(SampleTree.PairLink[0]), Copy(SampleTree.PairLink[1]));
        File.Delete(Copy("run/initctl"));
        File.WriteAllText(Copy("extra"), "x");
        ExtendedAttributeOracle.Write(Copy("tmp"), "user.dir", [9]);

        var differences = new TreeComparer(new TreeComparisonOptions { CompareExtendedAttributes = true })
            .Compare(_source, _copy)
            .Select(d => (d.Path, d.Aspect))
            .ToList();

        differences.Should().Contain([
            ("bin/su", "mode"),
            ("dangling", "mtime"),
            ("etc/hostname", "content"),
            ("empty", "size"),
            ("lib", "link target"),
            (SampleTree.PairLink[0], "hard links"),
            (SampleTree.PairLink[1], "hard links"),
            ("run/initctl", "presence"),
            ("extra", "presence"),
            ("tmp", "xattr user.dir"),
        ]);
    }

    [RootFact] // chown to another owner and mknod need root
    public void Compare_OwnerAndDeviceChanges_AreReported()
    {
        HostCommand.Run("chown", "-h", "0:0", Copy("dangling"));
        File.Delete(Copy("dev/null"));
        HostCommand.Run("mknod", "-m", "0666", Copy("dev/null"), "c", "1", "5");

        var differences = new TreeComparer(new TreeComparisonOptions { CompareExtendedAttributes = true })
            .Compare(_source, _copy)
            .Select(d => (d.Path, d.Aspect))
            .ToList();

        differences.Should().Contain([("dangling", "uid"), ("dangling", "gid"), ("dev/null", "rdev")]);
    }

    [Fact]
    public void Compare_TypeChange_IsReportedOnce()
    {
        File.Delete(Copy("etc/hostname"));
        Directory.CreateDirectory(Copy("etc/hostname"));
        HostCommand.Run("touch", "-r", Path.Combine(_source, "etc/hostname"), Copy("etc/hostname"));
        HostCommand.Run("touch", "-r", Path.Combine(_source, "etc"), Copy("etc"));

        var differences = new TreeComparer().Compare(_source, _copy);

        differences.Should().ContainSingle().Which.Should().Be(new TreeDifference("etc/hostname", "type", "RegularFile", "Directory"));
    }

    [Fact]
    public void Compare_TimeResolutionAndIgnore_HideWhatTheyShould()
    {
        HostCommand.Run("touch", "-d", "@" + SampleTree.DefaultTime.ToUnixTimeSeconds() + ".75", Copy("etc/shadow"));
        File.WriteAllText(Copy("extra"), "x");
        HostCommand.Run("touch", "-d", "@" + SampleTree.DefaultTime.ToUnixTimeSeconds(), _copy);

        var options = new TreeComparisonOptions { ModificationTimeResolution = TimeSpan.FromSeconds(1), Ignore = path => path == "extra" };

        new TreeComparer(options).Compare(_source, _copy).Should().BeEmpty();
        new TreeComparer().Compare(_source, _copy).Select(d => d.Path).Should().Contain(["etc/shadow", "extra"]);
    }

    [Fact]
    public void AssertEqual_Differences_ThrowsListingEveryOne()
    {
        File.SetUnixFileMode(Copy("bin/su"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.WriteAllText(Copy("extra"), "x");
        HostCommand.Run("touch", "-d", "@" + SampleTree.DefaultTime.ToUnixTimeSeconds(), _copy);

        var act = () => new TreeComparer().AssertEqual(_source, _copy);

        act.Should().Throw<XunitException>().WithMessage("*2 ways*bin/su: mode expected <4755> but was <0755>*extra: presence*");
    }
}
