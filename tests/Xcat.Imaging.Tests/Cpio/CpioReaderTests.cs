using System.Text;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.TestKit;
using static Xcat.Imaging.Tests.Cpio.CpioTestArchives;

namespace Xcat.Imaging.Tests.Cpio;

public sealed class CpioReaderTests
{
    public static TheoryData<bool, bool, CpioFormat> RoundTripCases()
    {
        var data = new TheoryData<bool, bool, CpioFormat>();
        foreach (var async in new[] { false, true })
        {
            foreach (var seekable in new[] { false, true })
            {
                foreach (var format in new[] { CpioFormat.Newc, CpioFormat.Crc })
                {
                    data.Add(async, seekable, format);
                }
            }
        }

        return data;
    }

    private static Stream Open(byte[] archive, bool seekable) =>
        seekable ? new MemoryStream(archive) : new NonSeekableStream(new MemoryStream(archive), maxReadSize: 7);

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public async Task GetNextEntry_EveryTypeAndField_RoundTrips(bool async, bool seekable, CpioFormat format)
    {
        var entries = EveryEntryType();
        var expected = entries.Select(e => Expected(e)).ToList();
        var destination = new MemoryStream();
        var writer = new CpioWriter(seekable ? destination : new NonSeekableStream(destination, leaveOpen: true), format, leaveOpen: seekable);
        foreach (var entry in entries)
        {
            await WriteEntryAsync(writer, entry, async);
        }

        await DisposeAsync(writer, async);

        var actual = await ReadAllAsync(Open(destination.ToArray(), seekable), async);

        actual.Should().Equal(expected);
    }

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public async Task GetNextEntry_CopyData_KeepsDataValidAfterMovingOn(bool async, bool seekable, CpioFormat format)
    {
        var entries = EveryEntryType();
        var expected = entries.Select(e => Expected(e)).ToList();
        var archive = Write(entries, format);
        using var reader = new CpioReader(Open(archive, seekable));
        var read = new List<CpioEntry>();
        while (await NextAsync(reader, async, copyData: true) is { } entry)
        {
            read.Add(entry);
        }

        var actual = new List<EntrySnapshot>();
        foreach (var entry in read)
        {
            actual.Add(EntrySnapshot.Of(entry, entry.DataStream is { } s ? await ReadToEndAsync(s, async) : null, 0));
        }

        actual.Should().Equal(expected);
        read.Where(e => e.DataStream is not null).Should().AllSatisfy(e => e.DataStream.Should().BeOfType<MemoryStream>());
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task GetNextEntry_PartlyReadData_IsSkippedAndOldStreamIsClosed(bool async, bool seekable)
    {
        var big = Bytes(200_001, 11);
        var archive = Write([FileEntry("big", big, 1), FileEntry("after", Bytes(3, 12), 2)]);
        using var reader = new CpioReader(Open(archive, seekable));
        var first = (await NextAsync(reader, async))!;
        var stream = first.DataStream!;
        stream.CanSeek.Should().BeFalse();
        stream.Length.Should().Be(big.Length);
        var head = new byte[1000];
        (await stream.ReadAtLeastAsync(head, head.Length)).Should().Be(head.Length);
        head.Should().Equal(big.AsSpan(0, 1000).ToArray());
        stream.Position.Should().Be(1000);

        var second = (await NextAsync(reader, async))!;

        second.Name.Should().Be("after");
        (await ReadToEndAsync(second.DataStream!, async)).Should().Equal(Bytes(3, 12));
        var stale = () => stream.ReadByte();
        stale.Should().Throw<ObjectDisposedException>();
        (await NextAsync(reader, async)).Should().BeNull();
        (await NextAsync(reader, async)).Should().BeNull();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetNextEntry_ConcatenatedArchives_ReadsBothWithTheirIndex(bool async)
    {
        var first = Write([Entry(CpioEntryType.Directory, "one", 1), FileEntry("one/f", Bytes(5, 1), 2)]);
        var second = Write([FileEntry("two", Bytes(7, 2), 1)], CpioFormat.Crc, trailerPadding: false);
        var third = Write([Entry(CpioEntryType.Fifo, "three", 1)], trailerPadding: false);
        byte[] archive = [.. first, .. second, 0, 0, 0, 0, .. third, 0, 0];

        var entries = await ReadAllAsync(new NonSeekableStream(new MemoryStream(archive)), async);

        entries.Select(e => (e.Name, e.ArchiveIndex)).Should().Equal(("one", 0), ("one/f", 0), ("two", 1), ("three", 2));
        entries[2].Data.Should().Be(Convert.ToHexString(Bytes(7, 2)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetNextEntry_WithoutConcatenation_StopsRightAfterTheFirstTrailer(bool async)
    {
        var first = Write([FileEntry("one", Bytes(5, 1), 1)]);
        var second = Write([FileEntry("two", Bytes(7, 2), 1)]);
        var stream = new MemoryStream([.. first, .. second]);
        var options = new CpioReaderOptions { ReadConcatenatedArchives = false };

        var entries = await ReadAllAsync(new NonSeekableStream(stream, leaveOpen: true), async, options: options);

        entries.Select(e => e.Name).Should().Equal("one");
        stream.Position.Should().Be(116 + 8 + 124, "the trailer's padding to 512 is left unread");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetNextEntry_EmptyOrAllZeroStream_ReturnsNull(bool async)
    {
        (await ReadAllAsync(new MemoryStream(), async)).Should().BeEmpty();
        (await ReadAllAsync(new MemoryStream(new byte[1024]), async)).Should().BeEmpty();
        (await ReadAllAsync(new MemoryStream(Write([])), async)).Should().BeEmpty();
    }

    [Fact]
    public void GetNextEntry_LowerCaseHexAndDataOnFirstHardLink_AreRead()
    {
        // bsdtar writes lower-case hex; the kernel accepts data on any member of a link group (spec §3.4).
        var archive = Write([FileEntry("h1", Bytes(6, 1), 9, linkCount: 2), FileEntry("h2", [], 9, linkCount: 2)]);
        var lower = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(archive).Replace("000081A4", "000081a4", StringComparison.Ordinal));
        lower.Should().NotEqual(archive);

        var entries = ReadAll(lower);

        entries.Select(e => (e.Name, e.Inode, e.LinkCount, e.Length)).Should().Equal(("h1", 9u, 2u, 6L), ("h2", 9u, 2u, 0L));
    }

    [Fact]
    public void Checksum_OfCrcEntries_IsTheDataSum()
    {
        var archive = Write([FileEntry("f", [1, 2, 250], 1), FileEntry("g", [], 2)], CpioFormat.Crc);
        using var reader = new CpioReader(new MemoryStream(archive));
        var f = reader.GetNextEntry()!;
        reader.Format.Should().Be(CpioFormat.Crc);
        f.Checksum.Should().Be(253u);
        reader.GetNextEntry()!.Checksum.Should().Be(0u);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task GetNextEntry_CrcMismatch_ThrowsInvalidDataExceptionNamingTheEntry(bool async, bool copyData)
    {
        var archive = Write([FileEntry("sum/me", Bytes(10, 1), 1), FileEntry("next", [], 2)], CpioFormat.Crc);
        archive[110 + 8 + 2 + 3] ^= 1; // "sum/me\0" is 7 bytes: 117, padded to 120; flip data byte 3
        using var reader = new CpioReader(new MemoryStream(archive));

        var act = async () =>
        {
            var entry = await NextAsync(reader, async, copyData);
            await NextAsync(reader, async); // skips the unread data, summing it
        };

        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*'sum/me'*checksum*");
        var after = () => NextAsync(reader, async);
        await after.Should().ThrowAsync<InvalidOperationException>();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DataStream_CrcMismatch_ThrowsWhenTheLastByteIsRead(bool async)
    {
        var archive = Write([FileEntry("f", Bytes(10, 1), 1)], CpioFormat.Crc);
        archive[112] ^= 1;
        using var reader = new CpioReader(new MemoryStream(archive));
        var entry = (await NextAsync(reader, async))!;

        var act = () => ReadToEndAsync(entry.DataStream!, async);

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*'f'*");
    }

    [Fact]
    public void GetNextEntry_CrcMismatchWithoutVerification_IsReturned()
    {
        var archive = Write([FileEntry("f", Bytes(10, 1), 1)], CpioFormat.Crc);
        archive[112] ^= 1;
        ReadAll(archive, new CpioReaderOptions { VerifyChecksums = false }).Should().ContainSingle();
    }

    [Theory]
    [InlineData("\u00C7\u0071abcd", "old binary cpio format (magic 070707 as a little-endian short)")]
    [InlineData("\u0071\u00C7abcd", "old binary cpio format (magic 070707 as a big-endian short)")]
    [InlineData("\u001F\u008B\u0008", "gzip")]
    [InlineData("\u0028\u00B5\u002F\u00FD", "zstd")]
    [InlineData("hello!", "'hello!' is not the magic")]
    public void GetNextEntry_ForeignFormats_AreNamed(string start, string expected)
    {
        var archive = Write([FileEntry("f", Bytes(3), 1)]);
        Encoding.Latin1.GetBytes(start).CopyTo(archive, 0);

        var act = () => ReadAll(archive);

        act.Should().Throw<InvalidDataException>().WithMessage($"*offset 0*{expected}*");
    }

    [Theory]
    [InlineData(new byte[] { 0xC7, 0x71 })]
    [InlineData(new byte[] { 0x71, 0xC7 })]
    public void GetNextEntry_BinaryCpioMessage_NamesTheSupportedFormats(byte[] magic)
    {
        var archive = Write([]);
        magic.CopyTo(archive, 0);
        var act = () => ReadAll(archive);
        act.Should().Throw<InvalidDataException>()
            .WithMessage("*old binary cpio format*only the newc (070701), crc (070702) and odc (070707) cpio formats are supported*");
    }

    public static TheoryData<string, Func<byte[], byte[]>, string> MalformedCases() => new()
    {
        { "non-hex filesize", a => Patch(a, 54, "0000000G"), "*offset 54*c_filesize*0000000G*not 8 hex digits*" },
        { "name size 0", a => Patch(a, 94, "00000000"), "*offset 0*c_namesize is 0*" },
        { "name size 4097", a => Patch(a, 94, "00001001"), "*c_namesize is 4097*" },
        { "name without NUL", a => Patch(a, 111, "x"), "*does not end with NUL*" },
        { "unknown file type", a => Patch(a, 14, "0000F1A4"), "*c_mode 0170644*" },
        { "mode above 16 bits", a => Patch(a, 14, "000181A4"), "*c_mode*" },
        { "directory with data", a => Patch(a, 14, "000041ED"), "*Directory 'f' has c_filesize 3*" },
        { "symlink with no target", a => Patch(Patch(a, 14, "0000A1FF"), 54, "00000000"), "*symbolic link 'f' has an empty target*" },
        { "empty name", a => Patch(a, 110, "\0"), "*name is empty*" },
        { "truncated header", a => a[..50], "*offset 0*inside a cpio header (50 of its 110 bytes)*" },
        { "truncated name", a => a[..111], "*offset 111*inside the name*" },
        { "truncated data", a => a[..114], "*offset 114*1 bytes before the end of the data of 'f'*" },
        { "truncated padding", a => a[..115], "*offset 115*padding after the data of 'f'*" },
        { "no trailer", a => a[..116], "*offset 116*without a TRAILER!!! record*" },
        { "junk between entries", a => Patch(a, 116, "X"), "*offset 116*'X70701' is not the magic*" },
        { "trailer with data", a => Patch(a, 116 + 54, "00000004"), "*TRAILER!!! record has c_filesize 4*" },
        { "misaligned next archive", a => [.. a, 0, 0, .. a], "*offset 512*not the magic*" },
    };

    private static byte[] Patch(byte[] archive, int offset, string text)
    {
        var copy = archive.ToArray();
        Encoding.Latin1.GetBytes(text).CopyTo(copy, offset);
        return copy;
    }

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public async Task GetNextEntry_MalformedArchive_ThrowsInvalidDataExceptionWithOffset(string description, Func<byte[], byte[]> mutate, string message)
    {
        // "f" with 3 bytes: header 0-109, "f\0" 110-111, data 112-114, padding 115, trailer from 116.
        var archive = mutate(Write([FileEntry("f", Bytes(3), 1)]));

        foreach (var async in new[] { false, true })
        {
            foreach (var seekable in new[] { false, true })
            {
                var act = () => ReadAllAsync(Open(archive, seekable), async);
                (await act.Should().ThrowAsync<InvalidDataException>(description)).WithMessage(message);
            }
        }
    }

    [Fact]
    public void GetNextEntry_TrailerWithoutNamePaddingAtEnd_IsAccepted()
    {
        var archive = Write([FileEntry("f", Bytes(3), 1)], trailerPadding: false);
        ReadAll(archive[..^3]).Should().ContainSingle();
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        ((Action)(() => _ = new CpioReader(null!))).Should().Throw<ArgumentNullException>().WithParameterName("archiveStream");
        ((Action)(() => _ = new CpioReader(new CountingSinkStream()))).Should().Throw<ArgumentException>().WithParameterName("archiveStream");
        var options = new CpioReaderOptions();
        (options.ReadConcatenatedArchives, options.VerifyChecksums).Should().Be((true, true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_ClosesStreamUnlessLeftOpenAndTheDataWindow(bool async)
    {
        var archive = Write([FileEntry("f", Bytes(3), 1)]);
        var stream = new NonSeekableStream(new MemoryStream(archive));
        var reader = new CpioReader(stream, leaveOpen: true);
        var entry = (await NextAsync(reader, async))!;
        if (async)
        {
            await reader.DisposeAsync();
        }
        else
        {
            reader.Dispose();
        }

        stream.IsDisposed.Should().BeFalse();
        ((Func<int>)(() => entry.DataStream!.ReadByte())).Should().Throw<ObjectDisposedException>();
        var next = () => NextAsync(reader, async);
        await next.Should().ThrowAsync<ObjectDisposedException>();

        var owned = new NonSeekableStream(new MemoryStream(archive));
        new CpioReader(owned).Dispose();
        owned.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public async Task GetNextEntryAsync_CancelledToken_ReturnsCanceled()
    {
        using var reader = new CpioReader(new MemoryStream(Write([])));
        var act = async () => await reader.GetNextEntryAsync(cancellationToken: new CancellationToken(canceled: true));
        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}
