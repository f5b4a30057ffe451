using Xcat.Imaging.Compression;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Compression;

public sealed class CompressionStreamsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<CompressionMethod, bool> WritableMethods()
    {
        var data = new TheoryData<CompressionMethod, bool>();
        foreach (var method in new[] { CompressionMethod.None, CompressionMethod.Gzip, CompressionMethod.Zstd, CompressionMethod.Xz })
        {
            data.Add(method, false);
            data.Add(method, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WritableMethods))]
    public async Task CreateCompressor_EachMethod_OpenDecompressorRoundTrips(CompressionMethod method, bool async)
    {
        var data = CompressionTestData.Create(300_000, seed: (int)method);
        var compressed = await CompressAsync(data, new CompressionOptions { Method = method, Threads = 2 }, async);

        CompressionDetector.Detect(compressed).Should().Be(method);
        (await DecompressAsync(compressed, async)).Should().Equal(data);
    }

    [Theory]
    [InlineData(CompressionMethod.Gzip)]
    [InlineData(CompressionMethod.Zstd)]
    [InlineData(CompressionMethod.Xz)]
    public async Task CreateCompressor_EmptyInput_RoundTrips(CompressionMethod method)
    {
        var compressed = await CompressAsync([], new CompressionOptions { Method = method }, async: false);

        compressed.Should().NotBeEmpty();
        (await DecompressAsync(compressed, async: false)).Should().BeEmpty();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task CreateCompressor_Xz_PassesXzTestWithCrc32Check()
    {
        var data = CompressionTestData.Create(500_000, seed: 11);
        var path = _temp.Combine("data.xz");
        await File.WriteAllBytesAsync(path, await CompressAsync(data, new CompressionOptions { Method = CompressionMethod.Xz, Level = 1 }, async: true));

        CompressionTestData.RunChecked("xz", $"-t {path}");
        var listing = System.Text.Encoding.UTF8.GetString(CompressionTestData.RunChecked("xz", $"--robot -lvv {path}"));
        var checks = listing.Split('\n').Where(l => l.StartsWith("stream\t", StringComparison.Ordinal)).Select(l => l.Split('\t')[8]).ToList();
        checks.Should().NotBeEmpty().And.OnlyContain(c => c == "CRC32");
        CompressionTestData.RunChecked("xz", $"-dc {path}").Should().Equal(data);
    }

    [Theory]
    [InlineData(CompressionMethod.Xz)]
    [InlineData(CompressionMethod.Zstd)]
    public async Task CreateCompressor_ThreadCounts_GiveIdenticalBytes(CompressionMethod method)
    {
        // Large enough for several xz blocks at preset 0 (1 MiB blocks) and several zstd jobs.
        var data = CompressionTestData.Create(3_000_000, seed: 12);
        var one = await CompressAsync(data, new CompressionOptions { Method = method, Level = method == CompressionMethod.Xz ? 0 : 3, Threads = 1 }, async: false);
        var three = await CompressAsync(data, new CompressionOptions { Method = method, Level = method == CompressionMethod.Xz ? 0 : 3, Threads = 3 }, async: false);

        three.Should().Equal(one);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task CreateCompressor_Zstd_PassesZstdTest()
    {
        var data = CompressionTestData.Create(400_000, seed: 13);
        var path = _temp.Combine("data.zst");
        await File.WriteAllBytesAsync(path, await CompressAsync(data, new CompressionOptions { Method = CompressionMethod.Zstd, Level = 19 }, async: false));

        CompressionTestData.RunChecked("zstd", $"-q -t {path}");
        CompressionTestData.RunChecked("zstd", $"-q -dc {path}").Should().Equal(data);
    }

    public static TheoryData<string, string, bool> ToolOutputs() => new()
    {
        { "gzip", "-6 -c", false },
        { "gzip", "-1 -c", true },
        { "pigz", "-c -p 2 -b 64", false },
        { "xz", "-C crc32 -c", true },
        { "xz", "-c", false },
        { "xz", "-T2 -C crc32 --block-size=100KiB -c", false },
        { "zstd", "-q -c", true },
        { "zstd", "-q -T2 -19 -c", false },
        { "pzstd", "-q -p 2 -c", false }, // a skippable frame before each zstd frame
        { "pzstd", "-q -p 2 -c", true },
        { "bzip2", "-c", false },
        { "bzip2", "-1 -c", true },
    };

    [Theory]
    [Trait("Category", "Interop")]
    [MemberData(nameof(ToolOutputs))]
    public async Task OpenDecompressor_ToolOutput_Decodes(string tool, string arguments, bool async)
    {
        var data = CompressionTestData.Create(600_000, seed: 14);
        var compressed = CompressionTestData.RunChecked(tool, arguments, data);

        (await DecompressAsync(compressed, async)).Should().Equal(data);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("gzip")]
    [InlineData("xz")]
    [InlineData("zstd")]
    [InlineData("bzip2")]
    public async Task OpenDecompressor_ConcatenatedMembers_DecodesAll(string tool)
    {
        var first = CompressionTestData.Create(100_000, seed: 15);
        var second = CompressionTestData.Create(50_000, seed: 16);
        byte[] compressed = [.. CompressionTestData.RunChecked(tool, "-c", first), .. CompressionTestData.RunChecked(tool, "-c", second)];

        (await DecompressAsync(compressed, async: false)).Should().Equal([.. first, .. second]);
    }

    public static TheoryData<CompressionMethod, string> CorruptionCases()
    {
        var data = new TheoryData<CompressionMethod, string>();
        foreach (var method in new[] { CompressionMethod.Gzip, CompressionMethod.Zstd, CompressionMethod.Xz, CompressionMethod.Bzip2 })
        {
            data.Add(method, "half");
            data.Add(method, "last-byte");
            data.Add(method, "flipped");
        }

        return data;
    }

    [Theory]
    [Trait("Category", "Interop")]
    [MemberData(nameof(CorruptionCases))]
    public async Task OpenDecompressor_TruncatedOrCorrupt_ThrowsInvalidData(CompressionMethod method, string damage)
    {
        var data = CompressionTestData.Create(200_000, seed: 17);
        var compressed = method == CompressionMethod.Bzip2
            ? CompressionTestData.RunChecked("bzip2", "-c", data)
            : await CompressAsync(data, new CompressionOptions { Method = method, Threads = 2 }, async: false);
        var damaged = damage switch
        {
            "half" => compressed[..(compressed.Length / 2)],
            "last-byte" => compressed[..^1],
            _ => Flip(compressed, compressed.Length / 2),
        };

        foreach (var async in new[] { false, true })
        {
            var act = () => DecompressAsync(damaged, async);
            await act.Should().ThrowAsync<InvalidDataException>();
        }
    }

    [Theory]
    [InlineData(CompressionMethod.Gzip)]
    [InlineData(CompressionMethod.Xz)]
    [InlineData(CompressionMethod.Zstd)]
    [InlineData(CompressionMethod.Bzip2)]
    public void CreateDecompressor_EmptyInput_ThrowsInvalidData(CompressionMethod method)
    {
        using var reader = CompressionStreams.CreateDecompressor(new MemoryStream(), method);
        var act = () => reader.CopyTo(Stream.Null);
        act.Should().Throw<InvalidDataException>();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task OpenDecompressor_GzipWithZeroPadding_IgnoresPadding()
    {
        var data = CompressionTestData.Create(10_000);
        byte[] padded = [.. CompressionTestData.RunChecked("gzip", "-c", data), .. new byte[512]];

        (await DecompressAsync(padded, async: false)).Should().Equal(data);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task OpenDecompressor_GzipWithTrailingGarbage_ThrowsInvalidData()
    {
        var data = CompressionTestData.Create(10_000);
        byte[] garbage = [.. CompressionTestData.RunChecked("gzip", "-c", data), .. "07070100"u8.ToArray()];

        var act = () => DecompressAsync(garbage, async: false);
        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*trailing*");
    }

    [Theory]
    [InlineData(CompressionMethod.Gzip)]
    [InlineData(CompressionMethod.Zstd)]
    [InlineData(CompressionMethod.Bzip2)]
    [InlineData(CompressionMethod.Xz)]
    public void Read_SourceFails_SourceErrorPassesThrough(CompressionMethod method)
    {
        var source = NonSeekableStream.Reading(new byte[100]);
        source.FailWith = new IOException("cable pulled");
        using var reader = CompressionStreams.CreateDecompressor(source, method);

        var act = () => reader.CopyTo(Stream.Null);
        act.Should().Throw<IOException>().WithMessage("cable pulled");
    }

    [Fact]
    public async Task OpenDecompressor_PlainData_PassesThrough()
    {
        var data = "070701plain cpio bytes"u8.ToArray();
        (await DecompressAsync(data, async: true)).Should().Equal(data);
        (await DecompressAsync([1, 2], async: false)).Should().Equal(1, 2);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenDecompressor_LeaveOpen_DecidesWhetherSourceIsDisposed(bool leaveOpen)
    {
        var source = NonSeekableStream.Reading(CompressionTestData.RunChecked("gzip", "-c", [1, 2, 3]));
        await using (var reader = await CompressionStreams.OpenDecompressorAsync(source, leaveOpen))
        {
            await reader.CopyToAsync(Stream.Null);
        }

        source.IsDisposed.Should().Be(!leaveOpen);
    }

    [Fact]
    public void CreateCompressor_BadArguments_Throw()
    {
        var bzip2 = () => CompressionStreams.CreateCompressor(new MemoryStream(), new CompressionOptions { Method = CompressionMethod.Bzip2 });
        bzip2.Should().Throw<ArgumentException>().WithParameterName("options");
        var level = () => CompressionStreams.CreateCompressor(new MemoryStream(), new CompressionOptions { Method = CompressionMethod.Xz, Level = 12 });
        level.Should().Throw<ArgumentException>().WithParameterName("options");
        var zstdZero = () => CompressionStreams.CreateCompressor(new MemoryStream(), new CompressionOptions { Method = CompressionMethod.Zstd, Level = 0 });
        zstdZero.Should().Throw<ArgumentException>().WithParameterName("options");
        var readOnly = () => CompressionStreams.CreateCompressor(new MemoryStream([], writable: false));
        readOnly.Should().Throw<ArgumentException>().WithParameterName("destination");
        var writeOnly = () => CompressionStreams.OpenDecompressor(NonSeekableStream.Writing(new MemoryStream()));
        writeOnly.Should().Throw<ArgumentException>().WithParameterName("source");
        var unknown = () => CompressionStreams.CreateDecompressor(new MemoryStream(), (CompressionMethod)42);
        unknown.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("method");
    }

    internal static async Task<byte[]> CompressAsync(byte[] data, CompressionOptions options, bool async)
    {
        var sink = new MemoryStream();
        var compressor = CompressionStreams.CreateCompressor(NonSeekableStream.Writing(sink), options);
        if (async)
        {
            await compressor.WriteAsync(data);
            await compressor.DisposeAsync();
        }
        else
        {
            compressor.Write(data);
            compressor.Dispose();
        }

        return sink.ToArray();
    }

    internal static async Task<byte[]> DecompressAsync(byte[] compressed, bool async)
    {
        var output = new MemoryStream();
        if (async)
        {
            await using var reader = await CompressionStreams.OpenDecompressorAsync(NonSeekableStream.Reading(compressed));
            await reader.CopyToAsync(output);
        }
        else
        {
            using var reader = CompressionStreams.OpenDecompressor(NonSeekableStream.Reading(compressed));
            reader.CopyTo(output);
        }

        return output.ToArray();
    }

    private static byte[] Flip(byte[] data, int index)
    {
        var copy = (byte[])data.Clone();
        copy[index] ^= 0x55;
        return copy;
    }
}
