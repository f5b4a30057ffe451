using Xcat.Imaging.Cpio;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Cpio;

public sealed class CpioEntryTests
{
    [Theory]
    [InlineData(CpioEntryType.RegularFile, 0b110_100_100, 1u, 0x8000u)]
    [InlineData(CpioEntryType.Directory, 0b111_101_101, 2u, 0x4000u)]
    [InlineData(CpioEntryType.SymbolicLink, 0b111_111_111, 1u, 0xA000u)]
    [InlineData(CpioEntryType.CharacterDevice, 0b110_100_100, 1u, 0x2000u)]
    [InlineData(CpioEntryType.BlockDevice, 0b110_100_100, 1u, 0x6000u)]
    [InlineData(CpioEntryType.Fifo, 0b110_100_100, 1u, 0x1000u)]
    [InlineData(CpioEntryType.Socket, 0b110_100_100, 1u, 0xC000u)]
    public void Constructor_EachType_HasDocumentedDefaultsAndTypeBits(CpioEntryType type, int mode, uint linkCount, uint typeBits)
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var entry = new CpioEntry(type, "x");

        entry.EntryType.Should().Be(type);
        entry.Mode.Should().Be((UnixFileMode)mode);
        entry.LinkCount.Should().Be(linkCount);
        entry.RawMode.Should().Be(typeBits | (uint)mode);
        entry.Uid.Should().Be(0);
        entry.Gid.Should().Be(0);
        entry.Length.Should().Be(0);
        entry.DataStream.Should().BeNull();
        entry.ModificationTime.ToUnixTimeSeconds().Should().BeInRange(before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        entry.ModificationTime.Ticks.Should().Be(DateTimeOffset.FromUnixTimeSeconds(entry.ModificationTime.ToUnixTimeSeconds()).Ticks);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("./x")]
    [InlineData("x")]
    [InlineData("usr/bin/x")]
    [InlineData("/absolute")]
    public void Constructor_PosixNames_AreKeptAsGiven(string name)
    {
        new CpioEntry(CpioEntryType.RegularFile, name).Name.Should().Be(name);
    }

    [Fact]
    public void Constructor_UndefinedType_ThrowsArgumentOutOfRange()
    {
        var act = () => new CpioEntry((CpioEntryType)42, "x");
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("entryType");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Name_EmptyOrWithNul_ThrowsArgumentException(string name)
    {
        var create = () => new CpioEntry(CpioEntryType.RegularFile, name);
        create.Should().Throw<ArgumentException>().WithParameterName(nameof(name));

        var entry = new CpioEntry(CpioEntryType.RegularFile, "x");
        var set = () => entry.Name = name;
        set.Should().Throw<ArgumentException>().WithParameterName("value");
    }

    [Fact]
    public void Mode_SpecialBits_AreKept()
    {
        var entry = new CpioEntry(CpioEntryType.RegularFile, "x")
        {
            Mode = UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit | UnixFileMode.UserRead,
        };

        entry.RawMode.Should().Be(0x8000u | 0b111_100_000_000);
    }

    [Fact]
    public void Mode_TypeBits_ThrowArgumentOutOfRange()
    {
        var entry = new CpioEntry(CpioEntryType.RegularFile, "x");
        var act = () => entry.Mode = (UnixFileMode)0x8000;
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
    }

    [Theory]
    [InlineData(CpioEntryType.RegularFile)]
    [InlineData(CpioEntryType.Directory)]
    [InlineData(CpioEntryType.SymbolicLink)]
    [InlineData(CpioEntryType.Fifo)]
    [InlineData(CpioEntryType.Socket)]
    public void DeviceNumbers_OnNonDevice_ThrowInvalidOperation(CpioEntryType type)
    {
        var entry = new CpioEntry(type, "x");
        ((Action)(() => entry.DeviceMajor = 1)).Should().Throw<InvalidOperationException>();
        ((Action)(() => entry.DeviceMinor = 1)).Should().Throw<InvalidOperationException>();
        entry.DeviceMajor.Should().Be(0);
    }

    [Theory]
    [InlineData(CpioEntryType.CharacterDevice)]
    [InlineData(CpioEntryType.BlockDevice)]
    public void DeviceNumbers_OnDevice_AreKept(CpioEntryType type)
    {
        var entry = new CpioEntry(type, "x") { DeviceMajor = 5, DeviceMinor = 1 };
        (entry.DeviceMajor, entry.DeviceMinor).Should().Be((5u, 1u));
    }

    [Theory]
    [InlineData(CpioEntryType.RegularFile)]
    [InlineData(CpioEntryType.Directory)]
    [InlineData(CpioEntryType.CharacterDevice)]
    public void LinkTarget_OnNonSymlink_ThrowsInvalidOperation(CpioEntryType type)
    {
        var entry = new CpioEntry(type, "x");
        ((Action)(() => entry.LinkTarget = "y")).Should().Throw<InvalidOperationException>();
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0")]
    public void LinkTarget_EmptyOrWithNul_ThrowsArgumentException(string target)
    {
        var entry = new CpioEntry(CpioEntryType.SymbolicLink, "x");
        ((Action)(() => entry.LinkTarget = target)).Should().Throw<ArgumentException>().WithParameterName("value");
    }

    [Fact]
    public void Length_OfSymlink_IsUtf8LengthOfTarget()
    {
        var entry = new CpioEntry(CpioEntryType.SymbolicLink, "x") { LinkTarget = "ü/x" };
        entry.Length.Should().Be(4);
    }

    [Theory]
    [InlineData(CpioEntryType.Directory)]
    [InlineData(CpioEntryType.SymbolicLink)]
    [InlineData(CpioEntryType.Fifo)]
    public void DataStream_OnNonRegularFile_ThrowsInvalidOperation(CpioEntryType type)
    {
        var entry = new CpioEntry(type, "x");
        ((Action)(() => entry.DataStream = new MemoryStream())).Should().Throw<InvalidOperationException>();
        ((Action)(() => entry.SetDataStream(new MemoryStream(), 0))).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void DataStream_Seekable_TakesLengthFromPositionToEnd()
    {
        var data = new MemoryStream(new byte[10]) { Position = 3 };
        var entry = new CpioEntry(CpioEntryType.RegularFile, "x") { DataStream = data };
        entry.Length.Should().Be(7);
        entry.DataStream = null;
        entry.Length.Should().Be(0);
    }

    [Fact]
    public void DataStream_Unseekable_ThrowsArgumentException()
    {
        var entry = new CpioEntry(CpioEntryType.RegularFile, "x");
        var act = () => entry.DataStream = new NonSeekableStream(new MemoryStream(new byte[3]));
        act.Should().Throw<ArgumentException>().WithParameterName("value").WithMessage("*SetDataStream*");
    }

    [Fact]
    public void SetDataStream_Unseekable_TakesGivenLength()
    {
        var entry = new CpioEntry(CpioEntryType.RegularFile, "x");
        entry.SetDataStream(new NonSeekableStream(new MemoryStream(new byte[3])), 3);
        entry.Length.Should().Be(3);
    }

    [Fact]
    public void SetDataStream_BadArguments_Throw()
    {
        var entry = new CpioEntry(CpioEntryType.RegularFile, "x");
        ((Action)(() => entry.SetDataStream(new MemoryStream(), -1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("length");
        ((Action)(() => entry.SetDataStream(null, 1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("length");
        ((Action)(() => entry.SetDataStream(new CountingSinkStream(), 1))).Should().Throw<ArgumentException>().WithParameterName("stream");
    }

    [Theory]
    [InlineData(CpioEntryType.RegularFile, 2u, true)]
    [InlineData(CpioEntryType.RegularFile, 1u, false)]
    [InlineData(CpioEntryType.CharacterDevice, 3u, true)]
    [InlineData(CpioEntryType.Directory, 5u, false)]
    public void IsHardLinked_FollowsTheKernelRule(CpioEntryType type, uint linkCount, bool expected)
    {
        new CpioEntry(type, "x") { LinkCount = linkCount }.IsHardLinked.Should().Be(expected);
    }
}
