using System.IO.Compression;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Compression.Interop;

namespace Xcat.Imaging.Tests.Compression;

public sealed class DeflateBlockScannerTests
{
    public static TheoryData<string, int> Inputs()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in new[] { "empty", "tiny", "text", "random", "zeros", "mixed" })
        {
            foreach (var level in new[] { 1, 6, 9, 12 })
            {
                data.Add(kind, level);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void FindFinalBlock_LibDeflateOutput_EndsOnTheLastBitOfTheStream(string kind, int level)
    {
        var deflate = LibDeflateCompress(Input(kind), level);

        var (header, end) = DeflateBlockScanner.FindFinalBlock(deflate);

        // libdeflate pads the final block to a byte with fewer than 8 bits.
        end.Should().BeInRange((deflate.Length * 8L) - 7, deflate.Length * 8L);
        header.Should().BeInRange(0, end - 10);
        (deflate[header >> 3] >> (int)(header & 7) & 1).Should().Be(1, "the final block's header starts with BFINAL = 1");
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void MakeNonFinal_ThenAnotherStream_InflatesToBothInputs(string kind, int level)
    {
        var first = Input(kind);
        var second = CompressionTestData.Create(5_000, seed: 42);
        var deflate = LibDeflateCompress(first, level);
        var buffer = new byte[deflate.Length + 6];
        deflate.CopyTo(buffer, 0);

        var length = LibDeflateChunkDeflater.MakeNonFinal(buffer, deflate.Length);

        // Ends with the sync marker, as zlib's Z_SYNC_FLUSH: the next stream starts byte-aligned.
        buffer.AsSpan(length - 4, 4).ToArray().Should().Equal(0, 0, 0xff, 0xff);
        byte[] joined = [.. buffer.AsSpan(0, length), .. LibDeflateCompress(second, level)];
        Inflate(joined).Should().Equal([.. first, .. second]);
    }

    [Theory]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.Optimal)]
    [InlineData(CompressionLevel.NoCompression)]
    public void FindFinalBlock_ZlibOutput_EndsOnTheLastBitOfTheStream(CompressionLevel level)
    {
        var sink = new MemoryStream();
        using (var deflate = new DeflateStream(sink, level, leaveOpen: true))
        {
            deflate.Write(Input("mixed"));
        }

        var bytes = sink.ToArray();
        var (_, end) = DeflateBlockScanner.FindFinalBlock(bytes);

        end.Should().BeInRange((bytes.Length * 8L) - 7, bytes.Length * 8L);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("random")]
    public void FindFinalBlock_Truncated_ThrowsInvalidData(string kind)
    {
        var deflate = LibDeflateCompress(Input(kind), 6);
        foreach (var cut in new[] { 1, 3, deflate.Length / 2, deflate.Length - 2 })
        {
            var act = () => DeflateBlockScanner.FindFinalBlock(deflate.AsSpan(0, cut));
            act.Should().Throw<InvalidDataException>($"{cut} of {deflate.Length} bytes is not a whole stream");
        }
    }

    [Fact]
    public void FindFinalBlock_ReservedBlockTypeOrBadStoredLength_ThrowsInvalidData()
    {
        ((Action)(() => DeflateBlockScanner.FindFinalBlock([0xff, 0xff, 0xff]))).Should().Throw<InvalidDataException>().WithMessage("*type 3*");
        ((Action)(() => DeflateBlockScanner.FindFinalBlock([0x01, 0x05, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5])))
            .Should().Throw<InvalidDataException>().WithMessage("*complement*");
    }

    [Fact]
    public void MakeNonFinal_BytesAfterTheFinalBlock_Throws()
    {
        var deflate = LibDeflateCompress(Input("text"), 6);
        var buffer = new byte[deflate.Length + 8];
        deflate.CopyTo(buffer, 0);

        var act = () => LibDeflateChunkDeflater.MakeNonFinal(buffer, deflate.Length + 2);
        act.Should().Throw<InvalidOperationException>();
    }

    internal static byte[] Inflate(byte[] deflate)
    {
        using var inflater = new DeflateStream(new MemoryStream(deflate), CompressionMode.Decompress);
        var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Input(string kind) => kind switch
    {
        "empty" => [],
        "tiny" => "hello, hello, hello"u8.ToArray(),
        "text" => CompressionTestData.Create(300_000, seed: 1).Where(b => b is >= 32 and < 127 or (byte)'\n').ToArray(),
        "random" => RandomBytes(200_000),
        "zeros" => new byte[500_000],
        _ => CompressionTestData.Create(1_200_000, seed: 2),
    };

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static byte[] LibDeflateCompress(byte[] input, int level)
    {
        var compressor = LibDeflate.AllocCompressor(level);
        try
        {
            var output = new byte[(int)LibDeflate.CompressBound(compressor, (nuint)input.Length)];
            var length = LibDeflate.Compress(compressor, input, output);
            length.Should().BePositive();
            return output[..length];
        }
        finally
        {
            LibDeflate.FreeCompressor(compressor);
        }
    }
}
