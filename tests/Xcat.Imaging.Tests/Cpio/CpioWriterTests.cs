using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.TestKit;
using static Xcat.Imaging.Tests.Cpio.CpioTestArchives;

namespace Xcat.Imaging.Tests.Cpio;

public sealed class CpioWriterTests
{
    private static CpioEntry HeaderTestEntry()
    {
        var entry = new CpioEntry(CpioEntryType.RegularFile, "a/b")
        {
            Inode = 0x1234,
            Mode = (UnixFileMode)0b110_100_000, // 0640
            Uid = TestUid,
            Gid = TestGid,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(TestTime),
            FileSystemMajor = TestFileSystemMajor,
            FileSystemMinor = TestFileSystemMinor,
        };
        entry.DataStream = new MemoryStream("xy\n"u8.ToArray());
        return entry;
    }

    [Theory]
    [InlineData(CpioFormat.Newc, "070701", "00000000")]
    [InlineData(CpioFormat.Crc, "070702", "000000FB")] // 'x' 120 + 'y' 121 + '\n' 10 = 251
    public void WriteEntry_RegularFile_WritesTheExpectedHeaderFieldByField(CpioFormat format, string magic, string check)
    {
        var archive = Write([HeaderTestEntry()], format);

        var expected =
            magic +
            "00001234" + // c_ino
            "000081A0" + // c_mode: S_IFREG 0100000 | 0640
            "0000162E" + // c_uid 5678
            "000010E1" + // c_gid 4321
            "00000001" + // c_nlink
            "6553F100" + // c_mtime 1700000000 (2023-11-14T22:13:20Z)
            "00000003" + // c_filesize: "xy\n"
            "000000FD" + // c_maj 253
            "00000002" + // c_min 2
            "00000000" + // c_rmaj: not a device
            "00000000" + // c_rmin
            "00000004" + // c_namesize: "a/b" and its NUL
            check; //        c_check: 0 in newc, the byte sum in crc
        Ascii(archive, 0, 110).Should().Be(expected);
        // 110 + 4 name bytes = 114, padded to 116; 3 data bytes padded to 4; the trailer follows at 120.
        archive.AsSpan(110, 10).ToArray().Should().Equal("a/b\0\0\0xy\n\0"u8.ToArray());
        Ascii(archive, 120, 6).Should().Be(magic);
    }

    [Fact]
    public void Dispose_WritesTrailerLikeGnuCpioAndPadsTo512()
    {
        var archive = Write([]);

        archive.Should().HaveCount(512);
        Ascii(archive, 0, 110).Should().Be("070701" + "00000000" + "00000000" + "00000000" + "00000000" + "00000001" + "00000000"
            + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "0000000B" + "00000000");
        Ascii(archive, 110, 11).Should().Be("TRAILER!!!\0");
        archive.Skip(121).Should().AllSatisfy(b => b.Should().Be(0));
    }

    [Fact]
    public void Dispose_WithoutTrailerPadding_EndsFourByteAligned()
    {
        var archive = Write([], trailerPadding: false);
        archive.Should().HaveCount(124); // 110 + "TRAILER!!!\0" = 121, padded to 124
        var withEntry = Write([FileEntry("abc", Bytes(5), 1)], trailerPadding: false);
        withEntry.Should().HaveCount(116 + 8 + 124); // 110 + "abc\0" = 114, padded to 116; 5 data bytes padded to 8
    }

    [Fact]
    public void WriteEntry_Layout_MatchesTheKernelsAlignmentRules()
    {
        var entries = new List<CpioEntry>();
        for (var nameLength = 1; nameLength <= 9; nameLength++)
        {
            for (var dataLength = 0; dataLength <= 5; dataLength++)
            {
                entries.Add(FileEntry($"{new string('n', nameLength - 1)}{dataLength}", Bytes(dataLength, dataLength), (uint)entries.Count + 1));
            }
        }

        var expectedNames = entries.Select(e => e.Name).ToList();
        var archive = Write(entries, trailerPadding: false);

        // Walk the bytes with the kernel's own arithmetic (init/initramfs.c, spec §3.2):
        // N_ALIGN(len) = ((len + 1) & ~3) + 2; next = round_up(this + 110 + N_ALIGN(namesize) + filesize, 4).
        var offset = 0;
        var names = new List<string>();
        while (true)
        {
            Ascii(archive, offset, 6).Should().Be("070701");
            var fileSize = Convert.ToInt32(Ascii(archive, offset + 54, 8), 16);
            var nameSize = Convert.ToInt32(Ascii(archive, offset + 94, 8), 16);
            var name = Ascii(archive, offset + 110, nameSize - 1);
            archive[offset + 110 + nameSize - 1].Should().Be(0);
            var nAlign = ((nameSize + 1) & ~3) + 2;
            ((110 + nAlign) % 4).Should().Be(0);
            offset = (offset + 110 + nAlign + fileSize + 3) & ~3;
            if (name == "TRAILER!!!")
            {
                break;
            }

            names.Add(name);
        }

        names.Should().Equal(expectedNames);
        offset.Should().Be(archive.Length);
    }

    [Fact]
    public void Dispose_AfterEntries_PadsToA512Multiple()
    {
        foreach (var size in new[] { 0, 1, 300, 390, 391, 392, 1000 })
        {
            Write([FileEntry("f", Bytes(size), 1)]).Length.Should().Be(Write([FileEntry("f", Bytes(size), 1)], trailerPadding: false).Length + 511 & ~511);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_Twice_WritesOneTrailerAndDisposesStreamUnlessLeftOpen(bool async)
    {
        var inner = new MemoryStream();
        var destination = new NonSeekableStream(inner, leaveOpen: true);
        var writer = new CpioWriter(destination);
        await WriteEntryAsync(writer, FileEntry("x", Bytes(3), 1), async);
        await DisposeAsync(writer, async);
        await DisposeAsync(writer, async);

        destination.IsDisposed.Should().BeTrue();
        inner.Length.Should().Be(512);
        var open = new NonSeekableStream(new MemoryStream());
        await DisposeAsync(new CpioWriter(open, leaveOpen: true), async);
        open.IsDisposed.Should().BeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WriteEntry_AfterDispose_ThrowsObjectDisposed(bool async)
    {
        var writer = new CpioWriter(new MemoryStream());
        await DisposeAsync(writer, async);
        var act = () => WriteEntryAsync(writer, FileEntry("x", [], 1), async);
        await act.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        ((Action)(() => _ = new CpioWriter(null!))).Should().Throw<ArgumentNullException>().WithParameterName("archiveStream");
        ((Action)(() => _ = new CpioWriter(new MemoryStream([], writable: false)))).Should().Throw<ArgumentException>().WithParameterName("archiveStream");
        ((Action)(() => _ = new CpioWriter(new MemoryStream(), (CpioFormat)7))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("format");
        ((Action)(() => new CpioWriterOptions().Format = (CpioFormat)7)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
    }

    [Fact]
    public void Options_Defaults_AreNewcUnclampedPadded()
    {
        var options = new CpioWriterOptions();
        (options.Format, options.ClampModificationTime, options.TrailerPadding).Should().Be((CpioFormat.Newc, false, true));
        new CpioWriter(new MemoryStream(), options).Format.Should().Be(CpioFormat.Newc);
        new CpioWriter(new MemoryStream(), CpioFormat.Crc).Format.Should().Be(CpioFormat.Crc);
    }

    [Fact]
    public void WriteEntry_SameEntriesTwice_GivesIdenticalBytes()
    {
        var first = Write(EveryEntryType());
        var second = Write(EveryEntryType());
        second.Should().Equal(first);
        Write(EveryEntryType(), CpioFormat.Crc).Should().Equal(Write(EveryEntryType(), CpioFormat.Crc));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WriteEntry_FileOfFourGiB_ThrowsArgumentOutOfRangeAndWritesNothing(bool async)
    {
        var destination = new MemoryStream();
        await using var writer = new CpioWriter(destination, leaveOpen: true);
        var entry = new CpioEntry(CpioEntryType.RegularFile, "huge");
        var length = (long)uint.MaxValue + 1;
        var source = new SimulatedDataStream(length);
        entry.SetDataStream(source, length);

        var act = () => WriteEntryAsync(writer, entry, async);

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithParameterName("entry").WithMessage("*4 GiB*");
        destination.Length.Should().Be(0);
        source.BytesRead.Should().Be(0);
        await WriteEntryAsync(writer, FileEntry("next", Bytes(2), 1), async); // a refused entry does not poison the writer
    }

    [Fact]
    public void WriteEntry_FileOfFourGiBMinusOne_IsWrittenWithAllOnesSize()
    {
        var sink = new CountingSinkStream(keep: 256);
        var length = (long)uint.MaxValue;
        using (var writer = new CpioWriter(sink, new CpioWriterOptions { TrailerPadding = false }))
        {
            var entry = new CpioEntry(CpioEntryType.RegularFile, "big") { ModificationTime = DateTimeOffset.UnixEpoch };
            entry.SetDataStream(new SimulatedDataStream(length), length);
            writer.WriteEntry(entry);
        }

        Ascii(sink.Head, 54, 8).Should().Be("FFFFFFFF");
        sink.BytesWritten.Should().Be(116 + length + 1 + 124);
    }

    [Theory]
    [InlineData(4095, false)]
    [InlineData(4096, true)]
    public void WriteEntry_NameLength_IsLimitedTo4095Bytes(int bytes, bool throws)
    {
        var writer = new CpioWriter(new MemoryStream());
        var act = () => writer.WriteEntry(new CpioEntry(CpioEntryType.Directory, new string('d', bytes)));
        if (throws)
        {
            act.Should().Throw<ArgumentException>().WithParameterName("entry").WithMessage("*4095*");
        }
        else
        {
            act.Should().NotThrow();
        }
    }

    [Fact]
    public void WriteEntry_NameCountedInUtf8Bytes_ThrowsArgumentException()
    {
        using var writer = new CpioWriter(new MemoryStream());
        var act = () => writer.WriteEntry(new CpioEntry(CpioEntryType.Directory, new string('é', 2048))); // 2048 chars, 4096 bytes
        act.Should().Throw<ArgumentException>().WithParameterName("entry");
    }

    [Fact]
    public void WriteEntry_TrailerName_ThrowsArgumentException()
    {
        using var writer = new CpioWriter(new MemoryStream());
        var act = () => writer.WriteEntry(new CpioEntry(CpioEntryType.RegularFile, "TRAILER!!!"));
        act.Should().Throw<ArgumentException>().WithParameterName("entry");
    }

    [Fact]
    public void WriteEntry_SymlinkWithoutTargetOrWithTooLongTarget_ThrowsArgumentException()
    {
        using var writer = new CpioWriter(new MemoryStream());
        var noTarget = new CpioEntry(CpioEntryType.SymbolicLink, "l");
        ((Action)(() => writer.WriteEntry(noTarget))).Should().Throw<ArgumentException>().WithParameterName("entry");
        var longTarget = new CpioEntry(CpioEntryType.SymbolicLink, "l") { LinkTarget = new string('t', 4096) };
        ((Action)(() => writer.WriteEntry(longTarget))).Should().Throw<ArgumentException>().WithParameterName("entry");
        longTarget.LinkTarget = new string('t', 4095);
        ((Action)(() => writer.WriteEntry(longTarget))).Should().NotThrow();
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(4_294_967_296L)]
    public void WriteEntry_ModificationTimeOutside32Bits_ThrowsArgumentOutOfRange(long seconds)
    {
        var destination = new MemoryStream();
        using var writer = new CpioWriter(destination, leaveOpen: true);
        var entry = new CpioEntry(CpioEntryType.Directory, "d") { ModificationTime = DateTimeOffset.FromUnixTimeSeconds(seconds) };
        var act = () => writer.WriteEntry(entry);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("entry").WithMessage("*ClampModificationTime*");
        destination.Length.Should().Be(0);
    }

    [Theory]
    [InlineData(-1L, "00000000")]
    [InlineData(-62_135_596_800L, "00000000")] // 0001-01-01, DateTimeOffset.MinValue
    [InlineData(4_294_967_296L, "FFFFFFFF")]
    public void WriteEntry_ClampModificationTime_ClampsAndWarns(long seconds, string expectedField)
    {
        var logger = new FakeLogger<CpioWriter>();
        var destination = new MemoryStream();
        using (var writer = new CpioWriter(destination, new CpioWriterOptions { ClampModificationTime = true }, leaveOpen: true, logger))
        {
            writer.WriteEntry(new CpioEntry(CpioEntryType.Directory, "d") { ModificationTime = DateTimeOffset.FromUnixTimeSeconds(seconds) });
        }

        Ascii(destination.ToArray(), 46, 8).Should().Be(expectedField);
        var warning = logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Warning).Subject;
        warning.Id.Id.Should().Be(5002);
        warning.Message.Should().Contain("d");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task WriteEntry_DataStreamShorterThanLength_ThrowsIOExceptionAndPoisonsWriter(bool async, bool seekableSource)
    {
        var destination = new MemoryStream();
        var writer = new CpioWriter(destination, leaveOpen: true);
        await WriteEntryAsync(writer, FileEntry("first", Bytes(4), 1), async);
        var entry = new CpioEntry(CpioEntryType.RegularFile, "short");
        Stream source = seekableSource ? new MemoryStream(Bytes(10)) : new NonSeekableStream(new MemoryStream(Bytes(10)));
        entry.SetDataStream(source, 20);

        var act = () => WriteEntryAsync(writer, entry, async);

        (await act.Should().ThrowAsync<IOException>()).WithMessage("*short*10 of the 20*");
        var next = () => WriteEntryAsync(writer, FileEntry("next", [], 3), async);
        await next.Should().ThrowAsync<InvalidOperationException>();
        var length = destination.Length;
        await DisposeAsync(writer, async);
        destination.Length.Should().Be(length, "a poisoned archive gets no trailer");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task WriteEntry_DataStreamLongerThanLength_ThrowsIOExceptionAndPoisonsWriter(bool async, bool seekableSource)
    {
        var writer = new CpioWriter(new MemoryStream());
        var entry = new CpioEntry(CpioEntryType.RegularFile, "long");
        Stream source = seekableSource ? new MemoryStream(Bytes(30)) : new NonSeekableStream(new MemoryStream(Bytes(30)));
        entry.SetDataStream(source, 20);

        var act = () => WriteEntryAsync(writer, entry, async);

        (await act.Should().ThrowAsync<IOException>()).WithMessage("*more than the 20 bytes*");
        var next = () => WriteEntryAsync(writer, FileEntry("next", [], 3), async);
        await next.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task WriteEntryAsync_CancelledToken_ReturnsCanceledTaskAndWritesNothing()
    {
        var destination = new MemoryStream();
        await using var writer = new CpioWriter(destination, leaveOpen: true);
        var act = () => writer.WriteEntryAsync(FileEntry("x", Bytes(3), 1), new CancellationToken(canceled: true));
        await act.Should().ThrowAsync<OperationCanceledException>();
        destination.Length.Should().Be(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WriteEntry_CrcWithUnseekableStream_ThrowsArgumentException(bool async)
    {
        await using var writer = new CpioWriter(new MemoryStream(), CpioFormat.Crc);
        var entry = new CpioEntry(CpioEntryType.RegularFile, "f");
        entry.SetDataStream(new NonSeekableStream(new MemoryStream(Bytes(3))), 3);
        var act = () => WriteEntryAsync(writer, entry, async);
        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entry").WithMessage("*seekable*");
        var empty = new CpioEntry(CpioEntryType.RegularFile, "empty");
        empty.SetDataStream(new NonSeekableStream(new MemoryStream()), 0);
        await WriteEntryAsync(writer, empty, async); // no data, nothing to sum
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WriteEntry_Crc_SumsDataFromTheStreamPositionAndLeavesItThere(bool async)
    {
        var data = Bytes(200_000, 3);
        var source = new MemoryStream(data) { Position = 1000 };
        var entry = new CpioEntry(CpioEntryType.RegularFile, "f");
        entry.DataStream = source;
        var destination = new MemoryStream();
        await using (var writer = new CpioWriter(destination, CpioFormat.Crc, leaveOpen: true))
        {
            await WriteEntryAsync(writer, entry, async);
        }

        uint sum = 0;
        foreach (var b in data.AsSpan(1000))
        {
            sum += b;
        }

        Ascii(destination.ToArray(), 102, 8).Should().Be(sum.ToString("X8"));
        source.Position.Should().Be(data.Length);
        ReadAll(destination.ToArray()).Single().Data.Should().Be(Convert.ToHexString(data.AsSpan(1000)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WriteEntry_CrcEntryFromUnseekableCrcArchive_ReusesItsChecksum(bool async)
    {
        var original = Write(EveryEntryType(), CpioFormat.Crc);
        var copy = new MemoryStream();
        using (var reader = new CpioReader(new NonSeekableStream(new MemoryStream(original))))
        await using (var writer = new CpioWriter(copy, CpioFormat.Crc, leaveOpen: true))
        {
            while (await NextAsync(reader, async) is { } entry)
            {
                await WriteEntryAsync(writer, entry, async);
            }
        }

        copy.ToArray().Should().Equal(original);
    }

    [Fact]
    public void WriteEntry_CrcEntryWhoseDataDoesNotMatchItsChecksum_ThrowsInvalidDataException()
    {
        var original = Write([FileEntry("f", Bytes(100, 3), 1)], CpioFormat.Crc);
        original[120] ^= 0xFF; // a data byte; the reader is told not to check
        using var reader = new CpioReader(new NonSeekableStream(new MemoryStream(original)), new CpioReaderOptions { VerifyChecksums = false });
        using var writer = new CpioWriter(new MemoryStream(), CpioFormat.Crc);
        var entry = reader.GetNextEntry()!;

        var act = () => writer.WriteEntry(entry);

        act.Should().Throw<InvalidDataException>().WithMessage("*'f'*");
    }

    [Fact]
    public void WriteEntry_SmallFiles_GoOutInOneWriteWithTheirHeader()
    {
        var destination = new CountingSinkStream();
        using (var writer = new CpioWriter(destination))
        {
            writer.WriteEntry(FileEntry("a", Bytes(100), 1));
            writer.WriteEntry(FileEntry("b", Bytes(100), 2));
        }

        destination.Writes.Should().Be(3); // two entries and the trailer
    }
}
