using Xcat.Imaging.Compression;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Compression;

public sealed class CompressionDetectorTests
{
    public static TheoryData<byte[], CompressionMethod> Headers() => new()
    {
        { [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00], CompressionMethod.Gzip },
        { [0x1f, 0x8b], CompressionMethod.Gzip },
        { [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], CompressionMethod.Xz },
        { [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x01], CompressionMethod.None },
        { [0xfd, 0x37, 0x7a, 0x58, 0x5a], CompressionMethod.None },
        { [0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00], CompressionMethod.Zstd },
        { [0x50, 0x2a, 0x4d, 0x18, 0x04, 0x00], CompressionMethod.Zstd },
        { [0x5f, 0x2a, 0x4d, 0x18], CompressionMethod.Zstd },
        { [0x60, 0x2a, 0x4d, 0x18, 0x04, 0x00], CompressionMethod.None },
        { [0x50, 0x2a, 0x4d], CompressionMethod.None },
        { "BZh91A"u8.ToArray(), CompressionMethod.Bzip2 },
        { "BZh1"u8.ToArray(), CompressionMethod.Bzip2 },
        { "BZh0"u8.ToArray(), CompressionMethod.None },
        { "BZh"u8.ToArray(), CompressionMethod.None },
        { "070701"u8.ToArray(), CompressionMethod.None },
        { [0x5d, 0x00, 0x00, 0x80, 0x00, 0xff], CompressionMethod.None },
        { [], CompressionMethod.None },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void Detect_Header_ReturnsMethod(byte[] header, CompressionMethod expected) =>
        CompressionDetector.Detect(header).Should().Be(expected);

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("gzip", CompressionMethod.Gzip)]
    [InlineData("xz", CompressionMethod.Xz)]
    [InlineData("zstd", CompressionMethod.Zstd)]
    [InlineData("pzstd", CompressionMethod.Zstd)]
    [InlineData("bzip2", CompressionMethod.Bzip2)]
    public void Detect_ToolOutput_ReturnsMethod(string tool, CompressionMethod expected)
    {
        var compressed = CompressionTestData.RunChecked(tool, "-c", CompressionTestData.Create(1000));
        CompressionDetector.Detect(compressed).Should().Be(expected);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false, 100)]
    [InlineData(true, 100)]
    [InlineData(false, 3)]
    [InlineData(true, 0)]
    public async Task Peek_UnseekableSource_ReplaysHeaderBeforeTheRest(bool async, int length)
    {
        var data = CompressionTestData.RunChecked("xz", "-c", CompressionTestData.Create(length))[..Math.Max(length, 0)];
        data = length < 6 ? data[..length] : data;
        var source = NonSeekableStream.Reading(data);

        await using var peeked = async ? await CompressionDetector.PeekAsync(source) : CompressionDetector.Peek(source);
        peeked.Method.Should().Be(length >= 6 ? CompressionMethod.Xz : CompressionMethod.None);
        peeked.Header.ToArray().Should().Equal(data.Take(CompressionDetector.HeaderLength));
        var rest = new MemoryStream();
        if (async)
        {
            await peeked.CopyToAsync(rest);
        }
        else
        {
            // Byte by byte first, to cross the replayed header's end in small steps.
            int b;
            for (var i = 0; i < 8 && (b = peeked.ReadByte()) >= 0; i++)
            {
                rest.WriteByte((byte)b);
            }

            peeked.CopyTo(rest);
        }

        rest.ToArray().Should().Equal(data);
    }

    [Fact]
    public async Task Peek_LeaveOpen_DecidesWhetherSourceIsDisposed()
    {
        var kept = NonSeekableStream.Reading([1, 2, 3]);
        await using (CompressionDetector.Peek(kept, leaveOpen: true))
        {
        }

        var closed = NonSeekableStream.Reading([1, 2, 3]);
        using (CompressionDetector.Peek(closed))
        {
        }

        kept.IsDisposed.Should().BeFalse();
        closed.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public void Peek_BadSource_Throws()
    {
        var act = () => CompressionDetector.Peek(null!);
        act.Should().Throw<ArgumentNullException>().WithParameterName("source");
        Action writeOnly = () => _ = CompressionDetector.PeekAsync(NonSeekableStream.Writing(new MemoryStream()));
        writeOnly.Should().Throw<ArgumentException>().WithParameterName("source");
    }
}
