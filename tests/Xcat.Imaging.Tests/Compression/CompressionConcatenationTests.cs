using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Xcat.Imaging.Compression;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Compression;

/// <summary>
/// Concatenated members, streams and frames of every codec we read, made by the real tools (and, for header fields
/// and frame kinds the tools do not write, byte by byte): what we decompress must be what <c>gzip -dc</c>,
/// <c>xz -dc</c>, <c>zstd -dc</c> and <c>bzip2 -dc</c> print; where the tool refuses the input, we refuse it too.
/// </summary>
[Trait("Category", "Interop")]
public sealed class CompressionConcatenationTests
{
    private static readonly byte[] s_a = CompressionTestData.Create(100_000, seed: 21);
    private static readonly byte[] s_b = CompressionTestData.Create(30_000, seed: 22);
    private static readonly byte[] s_c = CompressionTestData.Create(5_000, seed: 23);

    private static readonly Dictionary<string, Case> s_cases = new()
    {
        ["gzip: cat a.gz b.gz c.gz"] = new("gzip", () => [.. Tool("gzip", "-6 -c", s_a), .. Tool("gzip", "-1 -c", s_b), .. Tool("gzip", "-9 -c", s_c)], [.. s_a, .. s_b, .. s_c]),
        ["gzip: an empty member between two"] = new("gzip", () => [.. Tool("gzip", "-c", s_a), .. Tool("gzip", "-c", []), .. Tool("gzip", "-c", s_b)], [.. s_a, .. s_b]),
        ["gzip: pigz blocks, pigz independent blocks, gzip"] = new("gzip",
            () => [.. Tool("pigz", "-c -p 2 -b 32", s_a), .. Tool("pigz", "-c -p 2 -b 32 -i", s_b), .. Tool("gzip", "-c", s_c)], [.. s_a, .. s_b, .. s_c]),
        ["gzip: members with FNAME (gzip of a named file)"] = new("gzip", () => [.. GzipOfNamedFile(s_a), .. GzipOfNamedFile(s_b)], [.. s_a, .. s_b]),
        ["gzip: members with FEXTRA, FNAME, FCOMMENT and FHCRC"] = new("gzip",
            () => [.. GzipMember(s_a, extra: true, name: "a.bin", comment: "first", headerCrc: true), .. GzipMember(s_b, extra: true, name: null, comment: null, headerCrc: false),
                .. GzipMember(s_c, extra: false, name: "c\u00e9", comment: "a comment\nwith two lines", headerCrc: true)],
            [.. s_a, .. s_b, .. s_c]),
        ["gzip: trailing garbage after the last member"] = new("gzip", () => [.. Tool("gzip", "-c", s_a), .. "garbage"u8], null),
        ["xz: cat a.xz b.xz c.xz"] = new("xz", () => [.. Tool("xz", "-c", s_a), .. Tool("xz", "-C crc32 -c", s_b), .. Tool("xz", "-C sha256 -c", s_c)], [.. s_a, .. s_b, .. s_c]),
        ["xz: stream padding between and after streams"] = new("xz",
            () => [.. Tool("xz", "-c", s_a), .. new byte[4], .. Tool("xz", "-C none -c", s_b), .. new byte[12], .. Tool("xz", "-T2 --block-size=8KiB -c", s_c), .. new byte[8]],
            [.. s_a, .. s_b, .. s_c]),
        ["xz: an empty stream between two"] = new("xz", () => [.. Tool("xz", "-c", s_a), .. Tool("xz", "-c", []), .. Tool("xz", "-c", s_b)], [.. s_a, .. s_b]),
        ["xz: padding that is not a multiple of four"] = new("xz", () => [.. Tool("xz", "-c", s_a), .. new byte[3], .. Tool("xz", "-c", s_b)], null),
        ["zstd: cat a.zst b.zst c.zst"] = new("zstd", () => [.. Tool("zstd", "-q -c", s_a), .. Tool("zstd", "-q -19 --no-check -c", s_b), .. Tool("zstd", "-q -T2 -c", s_c)], [.. s_a, .. s_b, .. s_c]),
        ["zstd: an empty frame between two"] = new("zstd", () => [.. Tool("zstd", "-q -c", s_a), .. Tool("zstd", "-q -c", []), .. Tool("zstd", "-q -c", s_b)], [.. s_a, .. s_b]),
        ["zstd: skippable frames first, between and last"] = new("zstd",
            () => [.. Skippable(0x0, 0), .. Skippable(0xF, 100), .. Tool("zstd", "-q -c", s_a), .. Skippable(0x7, 5), .. Tool("zstd", "-q -c", s_b), .. Skippable(0x3, 70_000)],
            [.. s_a, .. s_b]),
        ["zstd: pzstd frames then zstd"] = new("zstd", () => [.. Tool("pzstd", "-q -p 2 -c", [.. s_a, .. s_b]), .. Tool("zstd", "-q -c", s_c)], [.. s_a, .. s_b, .. s_c]),
        ["zstd: zstd then pzstd frames"] = new("zstd", () => [.. Tool("zstd", "-q -c", s_c), .. Tool("pzstd", "-q -p 2 -c", [.. s_a, .. s_b])], [.. s_c, .. s_a, .. s_b]),
        ["zstd: only a skippable frame"] = new("zstd", () => Skippable(0x1, 16), []),
        ["zstd: zero bytes after the last frame"] = new("zstd", () => [.. Tool("zstd", "-q -c", s_a), .. new byte[8]], null),
        ["bzip2: cat a.bz2 b.bz2"] = new("bzip2", () => [.. Tool("bzip2", "-1 -c", s_a), .. Tool("bzip2", "-9 -c", s_b)], [.. s_a, .. s_b]),
    };

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in s_cases.Keys)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task OpenDecompressor_ConcatenatedInput_GivesWhatTheToolPrints(string name, bool async)
    {
        var test = s_cases[name];
        var input = test.Build();
        var (exitCode, toolOutput, error) = CompressionTestData.Run(test.Tool, "-dc", input);

        var act = () => CompressionStreamsTests.DecompressAsync(input, async);

        if (test.Expected is null)
        {
            exitCode.Should().NotBe(0, $"{test.Tool} -dc is expected to refuse this input");
            await act.Should().ThrowAsync<InvalidDataException>();
        }
        else
        {
            exitCode.Should().Be(0, error);
            toolOutput.Should().Equal(test.Expected);
            (await act()).Should().Equal(toolOutput);
        }
    }

    [Theory]
    [InlineData("gzip", CompressionMethod.Gzip)]
    [InlineData("xz", CompressionMethod.Xz)]
    [InlineData("zstd", CompressionMethod.Zstd)]
    [InlineData("bzip2", CompressionMethod.Bzip2)]
    public void Detect_ConcatenatedToolOutput_IsTheFirstMembersMethod(string codec, CompressionMethod expected)
    {
        foreach (var (name, test) in s_cases.Where(c => c.Value.Tool == codec && c.Value.Expected is not null))
        {
            CompressionDetector.Detect(test.Build()).Should().Be(expected, name);
        }
    }

    private static byte[] Tool(string tool, string arguments, byte[] input) => CompressionTestData.RunChecked(tool, arguments, input);

    /// <summary>gzip of a file given by name stores FNAME (and the file's mtime), unlike gzip of stdin.</summary>
    private static byte[] GzipOfNamedFile(byte[] data)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine($"member-{data.Length}.bin");
        File.WriteAllBytes(path, data);
        var member = CompressionTestData.RunChecked("gzip", $"-c -N {path}");
        ((member[3] & 0x08) != 0).Should().BeTrue("gzip stores the file name of a named file");
        return member;
    }

    /// <summary>A zstd skippable frame (RFC 8878 §3.1.2): magic 0x184D2A5<paramref name="nibble"/>, a 32-bit size, that many bytes.</summary>
    private static byte[] Skippable(int nibble, int size)
    {
        var frame = new byte[8 + size];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, 0x184D2A50u | (uint)nibble);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)size);
        new Random(size).NextBytes(frame.AsSpan(8));
        return frame;
    }

    /// <summary>One gzip member (RFC 1952) with the optional header fields asked for; gzip itself writes none but FNAME.</summary>
    private static byte[] GzipMember(byte[] data, bool extra, string? name, string? comment, bool headerCrc)
    {
        var header = new List<byte> { 0x1f, 0x8b, 8, 0, 0x40, 0xE2, 0x01, 0x00, 0, 3 };
        var flags = 0;
        if (extra)
        {
            flags |= 0x04;
            byte[] subfield = [(byte)'X', (byte)'c', 4, 0, 1, 2, 3, 4]; // SI1 SI2, LEN 4, payload
            header.AddRange([(byte)subfield.Length, 0]);
            header.AddRange(subfield);
        }

        if (name is not null)
        {
            flags |= 0x08;
            header.AddRange(Encoding.Latin1.GetBytes(name)); // ISO 8859-1, as RFC 1952 says
            header.Add(0);
        }

        if (comment is not null)
        {
            flags |= 0x10;
            header.AddRange(Encoding.Latin1.GetBytes(comment));
            header.Add(0);
        }

        if (headerCrc)
        {
            flags |= 0x02;
        }

        header[3] = (byte)flags;
        if (headerCrc)
        {
            var crc = Crc32([.. header]);
            header.AddRange([(byte)crc, (byte)(crc >> 8)]);
        }

        var body = new MemoryStream();
        using (var deflate = new DeflateStream(body, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }

        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)data.Length);
        return [.. header, .. body.ToArray(), .. trailer];
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }

    /// <summary>A concatenated input, the tool whose <c>-dc</c> is the oracle, and what it prints (<see langword="null"/>: it refuses).</summary>
    private sealed record Case(string Tool, Func<byte[]> Build, byte[]? Expected);
}
