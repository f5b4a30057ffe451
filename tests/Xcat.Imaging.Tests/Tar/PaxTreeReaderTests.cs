using System.Text;
using Xcat.Imaging.Tar;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Trees;

namespace Xcat.Imaging.Tests.Tar;

/// <summary>
/// Hostile tar input, one case per refusal: numbers that are not numbers or overflow (PAX records, octal and
/// base-256 fields), PAX records whose lengths lie, empty or oversized names and targets. Each is an
/// <see cref="InvalidDataException"/> whose message names the member and holds no control character.
/// </summary>
public sealed class PaxTreeReaderTests
{
    private const string Member = "etc/passwd";

    public static TheoryData<string, Func<byte[]>, string> HostileCases() => new()
    {
        { "PAX size junk", () => WithPax(RawTar.Record("size", "12abc")), "*'etc/passwd'*PAX size of '12abc', which is not a decimal number*" },
        { "PAX size overflow", () => WithPax(RawTar.Record("size", "99999999999999999999")), "*'etc/passwd'*PAX size of 99999999999999999999, out of range*" },
        { "PAX size negative", () => WithPax(RawTar.Record("size", "-5")), "*'etc/passwd'*PAX size of '-5', which is not a decimal number*" },
        { "PAX uid above 32 bits", () => WithPax(RawTar.Record("uid", "4294967296")), "*'etc/passwd'*PAX uid of 4294967296, out of range (0 to 4294967295)*" },
        { "PAX gid empty", () => WithPax(RawTar.Record("gid", "")), "*'etc/passwd'*PAX gid of '', which is not a decimal number*" },
        { "PAX gid with space", () => WithPax(RawTar.Record("gid", " 12")), "*'etc/passwd'*PAX gid*not a decimal number*" },
        { "PAX mtime exponent", () => WithPax(RawTar.Record("mtime", "1e400")), "*'etc/passwd'*PAX mtime of '1e400', which is not a number of seconds*" },
        { "PAX mtime NaN", () => WithPax(RawTar.Record("mtime", "NaN")), "*'etc/passwd'*PAX mtime*not a number of seconds*" },
        { "PAX mtime after 9999", () => WithPax(RawTar.Record("mtime", "253402300800")), "*'etc/passwd'*PAX mtime of 253402300800 seconds, out of range*" },
        { "PAX mtime overflow", () => WithPax(RawTar.Record("mtime", "-99999999999999999999.5")), "*'etc/passwd'*PAX mtime*out of range*" },
        { "PAX mtime dot only", () => WithPax(RawTar.Record("mtime", "12.")), "*'etc/passwd'*PAX mtime of '12.'*" },
        { "PAX atime junk", () => WithPax(RawTar.Record("atime", "yesterday")), "*'etc/passwd'*PAX atime of 'yesterday'*" },
        { "PAX devmajor junk", () => Device(RawTar.Record("SCHILY.devmajor", "0x10")), "*'dev/null'*PAX SCHILY.devmajor of '0x10'*" },
        { "PAX devminor overflow", () => Device(RawTar.Record("SCHILY.devminor", "4294967296")), "*'dev/null'*PAX SCHILY.devminor of 4294967296, out of range*" },
        { "GNU sparse unknown version", () => WithPax(RawTar.Record("GNU.sparse.major", "2"), RawTar.Record("GNU.sparse.minor", "0"), RawTar.Record("GNU.sparse.name", "real/name")), "*'real/name'*GNU sparse file of format 2.0, which is not known*" },
        { "GNU sparse 1.0 without realsize", () => WithPax(RawTar.Record("GNU.sparse.major", "1"), RawTar.Record("GNU.sparse.minor", "0"), RawTar.Record("GNU.sparse.name", "real/name")), "*'real/name'*without its GNU.sparse.realsize record*" },
        { "GNU sparse junk", () => WithPax(RawTar.Record("GNU.sparse.numblocks", "x")), "*'etc/passwd'*GNU sparse file*" },
        { "record length overflow", () => WithPax(Raw("99999999999999999999 path=x\n")), "*'etc/passwd'*PAX header at offset 0*length 99999999999999999999 goes past the end*" },
        { "record length int overflow", () => WithPax(Raw("2147483648 path=x\n")), "*'etc/passwd'*length 2147483648 goes past the end*" },
        { "record length past the header", () => WithPax(Raw("50 uid=1\n")), "*'etc/passwd'*length 50 goes past the end of the header (9 bytes left)*" },
        { "record length too short", () => WithPax(Raw("3 a=\n")), "*'etc/passwd'*length 3 is too short*" },
        { "record length zero", () => WithPax(Raw("0 a=b\n")), "*'etc/passwd'*length 0 is too short*" },
        { "record without newline before another", () => WithPax(Raw("8 uid=12"), RawTar.Record("gid", "1")), "*'etc/passwd'*record at byte 0 that does not end with a newline*" },
        { "record without equals", () => WithPax(Raw("9 uid 12\n")), "*'etc/passwd'*without a keyword and '='*" },
        { "record with empty keyword", () => WithPax(Raw("7 =abc\n")), "*'etc/passwd'*without a keyword and '='*" },
        { "record length not digits", () => WithPax(Raw("x8 uid=1\n")), "*'etc/passwd'*does not start with its length in decimal digits*" },
        { "record length negative", () => WithPax(Raw("-8 uid=1\n")), "*'etc/passwd'*does not start with its length in decimal digits*" },
        { "record without length", () => WithPax(Raw(new string('1', 40))), "*'etc/passwd'*does not start with its length*" },
        { "second record bad", () => WithPax(RawTar.Record("uid", "1"), Raw("9 gid=1\n")), "*'etc/passwd'*record at byte 8*" },
        { "bad record names path member", () => WithPax(RawTar.Record("path", "from/pax"), Raw("9 gid=1\n")), "*'from/pax'*" },
        { "empty xattr name", () => WithPax(RawTar.Record("SCHILY.xattr.", "v")), "*'etc/passwd'*extended attribute record 'SCHILY.xattr.' whose attribute name is empty*" },
        { "NUL in xattr name", () => WithPax(RawTar.Record("SCHILY.xattr.user.a\0b", "v")), "*'etc/passwd'*attribute name holds a NUL byte*" },
        { "NUL in PAX path", () => WithPax(RawTar.Record("path", "a\0b")), "*'a\\000b'*name that holds a NUL byte*" },
        { "empty PAX path", () => WithPax(RawTar.Record("path", "")), "*member at offset 1024 has an empty name*" },
        { "PAX path beyond PATH_MAX", () => WithPax(RawTar.Record("path", new string('a', 5000))), "*name of 5000 bytes; the limit is 4095 (PATH_MAX)*" },
        { "PAX linkpath beyond PATH_MAX", () => new RawTar().Pax(RawTar.Record("linkpath", new string('t', 4096))).Symlink("etc/link", "x").ToArray(), "*'etc/link'*symbolic-link target of 4096 bytes*" },
        { "empty symlink target", () => new RawTar().Symlink("etc/link", "").ToArray(), "*'etc/link'*is a symbolic link with an empty target*" },
        { "empty PAX linkpath", () => new RawTar().Pax(RawTar.Record("linkpath", "")).Symlink("etc/link", "x").ToArray(), "*'etc/link'*symbolic link with an empty target*" },
        { "empty hard-link target", () => new RawTar().HardLink("etc/hard", "").ToArray(), "*'etc/hard'*is a hard link with an empty target*" },
        { "octal uid junk", () => File(h => RawTar.Field(h, 108, 8, "12x4567")), "*'etc/passwd'*uid field that is '12x4567', not an octal number*" },
        { "octal size with inner space", () => File(h => RawTar.Field(h, 124, 12, "000 0000012")), "*'etc/passwd'*size field*not an octal number*" },
        { "base-256 size overflow", () => File(h => { h[124] = 0x80; h.AsSpan(125, 11).Fill(0xFF); }), "*'etc/passwd'*size field that overflows 64 bits (base-256)*" },
        { "base-256 size negative", () => File(h => h.AsSpan(124, 12).Fill(0xFF)), "*'etc/passwd'*size field that holds -1, out of range*" },
        { "base-256 uid above 32 bits", () => File(h => { h.AsSpan(108, 8).Clear(); h[108] = 0x80; h[111] = 1; }), "*'etc/passwd'*uid field that holds 4294967296, out of range*" },
        { "base-256 mtime far future", () => File(h => { h.AsSpan(136, 12).Clear(); h[136] = 0x80; h[140] = 0x7F; }), "*'etc/passwd'*mtime field that holds*out of range*" },
        { "octal mode junk", () => File(h => RawTar.Field(h, 100, 8, "rwxr-x")), "*'etc/passwd'*mode field that is 'rwxr-x'*" },
        { "device major junk", () => new RawTar().Entry("dev/null", '3', patch: h => RawTar.Field(h, 329, 8, "9z")).ToArray(), "*'dev/null'*devmajor field*" },
        { "PAX header over 1 MiB", () => new RawTar().Entry("./PaxHeaders/x", 'x', size: 2 << 20).ToArray(), "*PAX header at offset 0 has a size field that holds 2097152, out of range (0 to 1048576)*" },
        { "PAX header size junk", () => new RawTar().Entry("./PaxHeaders/x", 'x', patch: h => RawTar.Field(h, 124, 12, "zz")).ToArray(), "*PAX header at offset 0 has a size field that is 'zz'*" },
        { "PAX header at the end", () => new RawTar().Pax(RawTar.Record("uid", "1")).ToArray(), "*ends after the metadata record at offset 0, without the member*" },
        { "unsupported type", () => new RawTar().Entry("etc/odd", '\u001b').ToArray(), "*'etc/odd'*unsupported type '\\033'*" },
        { "checksum junk", () => File(h => RawTar.Field(h, 148, 8, "abc"), fixChecksum: false), "*header at offset 0 has a bad checksum (stored 'abc'*" },
        { "truncated data", () => new RawTar().Entry(Member, '0', new byte[10], size: 5000).ToArray()[..1024], "*truncated at offset 1024 inside the data of 'etc/passwd'*" },
        { "metadata over 1 MiB in all", () => new RawTar().Pax(RawTar.Record("comment", new string('c', 600_000))).Pax(RawTar.Record("comment", new string('d', 600_000))).File(Member, "x").ToArray(), "*hold more than 1048576 bytes for one member*" },
        { "newline in a refused name", () => WithPax(RawTar.Record("path", "evil\nError: forged"), RawTar.Record("uid", "x")), "*'evil\\nError: forged'*PAX uid*" },
    };

    [Theory]
    [MemberData(nameof(HostileCases))]
    public async Task Read_HostileMember_ThrowsInvalidDataExceptionNamingIt(string description, Func<byte[]> archive, string message)
    {
        var act = () => ReadAllAsync(archive());

        var thrown = await act.Should().ThrowAsync<InvalidDataException>(description);
        thrown.WithMessage(message);
        thrown.Which.Message.Should().NotContainAny(["\n", "\r", "\u001b", "\0"]);
    }

    [Fact]
    public async Task Read_NumbersAtTheEdges_AreRead()
    {
        var archive = new RawTar()
            .Pax(RawTar.Record("uid", "4294967295"), RawTar.Record("gid", "0"), RawTar.Record("mtime", "-1.25"), RawTar.Record("size", "3"))
            .Entry("a", '0', "abc"u8.ToArray(), size: 999)
            .Pax(RawTar.Record("mtime", "1700000000.123456789"), RawTar.Record("SCHILY.devmajor", "4095"), RawTar.Record("SCHILY.devminor", "1048575"))
            .Entry("dev/big", '4')
            .Entry("b", '0', [], patch: h =>
            {
                h.AsSpan(108, 8).Clear();
                h[108] = 0x80;
                h[112] = 0x01; // base-256 uid 16777216, beyond the 7 octal digits
                h.AsSpan(136, 12).Fill(0xFF);
                h[147] = 0xFE; // base-256 mtime -2
            })
            .ToArray();

        var entries = await ReadAllAsync(archive);

        entries.Select(e => e.Name).Should().Equal("a", "dev/big", "b");
        entries[0].Uid.Should().Be(uint.MaxValue);
        entries[0].Length.Should().Be(3);
        entries[0].ModificationTime.Should().Be(DateTimeOffset.UnixEpoch.AddSeconds(-1.25));
        entries[1].ModificationTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_567));
        (entries[1].DeviceMajor, entries[1].DeviceMinor).Should().Be((4095u, 1048575u));
        entries[2].Uid.Should().Be(16_777_216u);
        entries[2].ModificationTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(-2));
    }

    [Fact]
    public async Task Read_GnuMagic_DoesNotTakeTheTimesAreaForANamePrefix()
    {
        var archive = new RawTar().Entry("etc/hostname", '0', patch: h =>
        {
            "ustar  \0"u8.CopyTo(h.AsSpan(257));
            RawTar.Octal(h, 345, 12, RawTar.Time); // old GNU atime where POSIX has the prefix
        }).ToArray();

        (await ReadAllAsync(archive)).Single().Name.Should().Be("etc/hostname");
    }

    [Fact]
    public async Task Read_TwoPaxHeaders_AreMergedLaterRecordsWinning()
    {
        var archive = new RawTar().Pax(RawTar.Record("uid", "7"), RawTar.Record("gid", "8")).Pax(RawTar.Record("uid", "9")).File("f", "x").ToArray();

        var entry = (await ReadAllAsync(archive)).Single();

        (entry.Uid, entry.Gid).Should().Be((9u, 8u));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Read_GnuTarPaxArchive_KeepsSubsecondTimesAndXattrs()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("root");
        Directory.CreateDirectory(root);
        var file = Path.Combine(root, "f");
        await System.IO.File.WriteAllTextAsync(file, "data");
        System.IO.File.SetLastWriteTimeUtc(file, new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1_234_567));
        (await ExternalTool.RunAsync("setfattr", ["-n", "user.k", "-v", "v", file])).EnsureSuccess();
        var tar = temp.Combine("a.tar");
        (await ExternalTool.RunAsync("tar", ["--xattrs", "--xattrs-include=*", "--format=pax", "-cf", tar, "-C", root, "f"])).EnsureSuccess();

        var entry = (await ReadAllAsync(await System.IO.File.ReadAllBytesAsync(tar))).Single();

        entry.ModificationTime.UtcDateTime.Should().Be(System.IO.File.GetLastWriteTimeUtc(file));
        Encoding.UTF8.GetString(entry.ExtendedAttributes["user.k"]).Should().Be("v");
    }

    private static byte[] Raw(string record) => Encoding.UTF8.GetBytes(record);

    private static byte[] WithPax(params byte[][] records) => new RawTar().Pax(records).File(Member, "root:x:0:0\n").ToArray();

    private static byte[] Device(params byte[][] records) => new RawTar().Pax(records).Entry("dev/null", '3', deviceMajor: 1, deviceMinor: 3).ToArray();

    private static byte[] File(Action<byte[]> patch, bool fixChecksum = true)
        => new RawTar().Entry(Member, '0', "root:x:0:0\n"u8.ToArray(), patch: patch, fixChecksum: fixChecksum).ToArray();

    internal static async Task<List<TreeEntry>> ReadAllAsync(byte[] archive)
    {
        var reader = new PaxTreeReader(new MemoryStream(archive));
        var entries = new List<TreeEntry>();
        var buffer = new byte[4096];
        while (await reader.ReadAsync(CancellationToken.None) is { } item)
        {
            entries.Add(item.Entry);
            if (item.Data is { } data)
            {
                while (await data.ReadAsync(buffer) > 0)
                {
                }
            }
        }

        return entries;
    }
}
