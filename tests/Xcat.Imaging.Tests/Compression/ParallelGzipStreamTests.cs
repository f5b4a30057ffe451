using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xcat.Imaging.Compression;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Compression;

public sealed class ParallelGzipStreamTests : IDisposable
{
    private const int SmallChunk = CompressionOptions.MinimumChunkSize;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("zlib", false)]
    [InlineData("zlib", true)]
    [InlineData("libdeflate", false)]
    [InlineData("libdeflate", true)]
    public async Task Write_ManyChunksOnFourThreads_DecodesWithGZipStream(string engine, bool async)
    {
        var data = CompressionTestData.Create(1_000_000);
        var gz = await CompressAsync(data, new CompressionOptions { Threads = 4, ChunkSize = SmallChunk, Engine = Engine(engine) }, async);

        using var reader = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        var decoded = new MemoryStream();
        reader.CopyTo(decoded);
        decoded.ToArray().Should().Equal(data);
    }

    [Theory]
    [InlineData("zlib")]
    [InlineData("libdeflate")]
    public async Task Write_ThreadCounts_GiveIdenticalBytes(string engine)
    {
        var data = CompressionTestData.Create(700_000, seed: 2);
        var one = await CompressAsync(data, new CompressionOptions { Threads = 1, ChunkSize = SmallChunk, Engine = Engine(engine) }, async: false);
        var two = await CompressAsync(data, new CompressionOptions { Threads = 2, ChunkSize = SmallChunk, Engine = Engine(engine) }, async: true);
        var four = await CompressAsync(data, new CompressionOptions { Threads = 4, ChunkSize = SmallChunk, Engine = Engine(engine) }, async: false);

        two.Should().Equal(one);
        four.Should().Equal(one);
    }

    [Theory]
    [InlineData("zlib")]
    [InlineData("libdeflate")]
    public async Task Write_ManyChunks_IsExactlyOneMember(string engine)
    {
        var data = CompressionTestData.Create(900_000, seed: 3);
        var gz = await CompressAsync(data, new CompressionOptions { Threads = 3, ChunkSize = SmallChunk, Engine = Engine(engine) }, async: false);

        // One member: the deflate data after the 10-byte header ends in one final block that yields all the input, and
        // the last 8 bytes are that member's CRC-32 and ISIZE. A second member would stop the raw inflate early.
        gz.AsSpan(0, 4).ToArray().Should().Equal(0x1f, 0x8b, 8, 0);
        using var inflater = new DeflateStream(new MemoryStream(gz, 10, gz.Length - 18), CompressionMode.Decompress);
        var decoded = new MemoryStream();
        inflater.CopyTo(decoded);
        decoded.ToArray().Should().Equal(data);
        BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 4)).Should().Be((uint)data.Length);
        BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8)).Should().Be(Crc32(data));
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("zlib")]
    [InlineData("libdeflate")]
    public async Task Output_GzipPigzAndBusybox_TestAndDecode(string engine)
    {
        var data = CompressionTestData.Create(800_000, seed: 4);
        var gz = await CompressAsync(data, new CompressionOptions { Threads = 2, ChunkSize = SmallChunk, Engine = Engine(engine) }, async: true);
        var path = _temp.Combine("data.gz");
        await File.WriteAllBytesAsync(path, gz);

        CompressionTestData.RunChecked("gzip", $"-t {path}");
        CompressionTestData.RunChecked("gzip", $"-dc {path}").Should().Equal(data);
        CompressionTestData.RunChecked("pigz", $"-dc {path}").Should().Equal(data);
        CompressionTestData.RunChecked("/bin/busybox", $"gunzip -c {path}").Should().Equal(data);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("zlib")]
    [InlineData("libdeflate")]
    public async Task Output_DefaultOptions_WithinTwoPercentOfGzip6(string engine)
    {
        var data = CompressionTestData.Create(4_000_000, seed: 5);
        var ours = await CompressAsync(data, new CompressionOptions { Threads = 2, Engine = Engine(engine) }, async: false);
        var gzip = CompressionTestData.RunChecked("gzip", "-6 -n -c", data);

        ours.Length.Should().BeLessThanOrEqualTo((int)(gzip.Length * 1.02));
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_NothingWritten_WritesValidEmptyGzip(bool async)
    {
        var gz = await CompressAsync([], new CompressionOptions { Threads = 2 }, async);

        gz.Length.Should().Be(20);
        var path = _temp.Combine("empty.gz");
        await File.WriteAllBytesAsync(path, gz);
        CompressionTestData.RunChecked("gzip", $"-t {path}");
        CompressionTestData.RunChecked("gzip", $"-dc {path}").Should().BeEmpty();
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("zlib", 0)]
    [InlineData("zlib", 1)]
    [InlineData("zlib", 9)]
    [InlineData("libdeflate", 0)]
    [InlineData("libdeflate", 1)]
    [InlineData("libdeflate", 4)]
    [InlineData("libdeflate", 9)]
    public async Task Write_Levels_RoundTrip(string engine, int level)
    {
        var data = CompressionTestData.Create(200_000, seed: level);
        var gz = await CompressAsync(data, new CompressionOptions { Level = level, Threads = 2, ChunkSize = SmallChunk, Engine = Engine(engine) },
            async: false);

        CompressionTestData.RunChecked("gzip", "-dc", gz).Should().Equal(data);
    }

    [Fact]
    public void Engine_Auto_IsLibDeflate()
    {
        // CI installs libdeflate0, so the default must be the fast engine there; the zlib one is the fallback.
        using var gzip = new ParallelGzipStream(new MemoryStream());
        gzip.Engine.Should().Be(GzipEngine.LibDeflate);
        using var forced = new ParallelGzipStream(new MemoryStream(), new CompressionOptions { Engine = GzipEngine.ZLib });
        forced.Engine.Should().Be(GzipEngine.ZLib);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(9)]
    public async Task Output_LibDeflateAtEachLevel_WithinHalfAPercentOfGzipAtThatLevel(int level)
    {
        // On /usr data each level is smaller than gzip's (benchmarks/README.md); this synthetic data has little
        // repetition beyond a 1 MiB chunk and yet costs at most 0.2 % more at levels 6 and 9.
        var data = CompressionTestData.Create(3_000_000, seed: 10 + level);
        var ours = await CompressAsync(data, new CompressionOptions { Level = level, Threads = 2, Engine = GzipEngine.LibDeflate }, async: false);
        var gzip = CompressionTestData.RunChecked("gzip", $"-{level} -n -c", data);

        ours.Length.Should().BeLessThanOrEqualTo((int)(gzip.Length * 1.005));
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("zlib")]
    [InlineData("libdeflate")]
    public async Task DataLevel_StoredChunksBetweenDeflatedOnes_DecodeAsOneMember(string engine)
    {
        // A bundle writer stores already-compressed members (level 0, always zlib) between deflated ones.
        var data = CompressionTestData.Create(SmallChunk * 7, seed: 9);
        var sink = new MemoryStream();
        await using (var gzip = new ParallelGzipStream(sink, new CompressionOptions { Threads = 2, ChunkSize = SmallChunk, Engine = Engine(engine) },
            leaveOpen: true))
        {
            for (var i = 0; i < 7; i++)
            {
                gzip.DataLevel = i % 3 == 1 ? 0 : 6;
                gzip.Write(data.AsSpan(i * SmallChunk, SmallChunk));
            }
        }

        var path = _temp.Combine("mixed.gz");
        await File.WriteAllBytesAsync(path, sink.ToArray());
        CompressionTestData.RunChecked("gzip", $"-t {path}");
        CompressionTestData.RunChecked("/bin/busybox", $"gunzip -c {path}").Should().Equal(data);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("zlib")]
    [InlineData("libdeflate")]
    public async Task DataLevel_ChangedMidChunk_StoresExactlyTheBytesWrittenAtLevelZero(string engine)
    {
        var text = CompressionTestData.Create(50_000, seed: 11);
        var stored = new byte[200_000];
        new Random(12).NextBytes(stored);
        var sink = new MemoryStream();
        await using (var gzip = new ParallelGzipStream(sink, new CompressionOptions { Threads = 2, Engine = Engine(engine) }, leaveOpen: true))
        {
            gzip.Write(text);
            gzip.DataLevel = 0;
            gzip.Write(stored);
            gzip.DataLevel = 6;
            gzip.Write(text);
        }

        // All three pieces share one 1 MiB chunk, yet the middle one is stored: its first stored block appears verbatim.
        var gz = sink.ToArray();
        gz.AsSpan().IndexOf(stored.AsSpan(0, 60_000)).Should().BePositive();
        gz.Length.Should().BeLessThan(stored.Length + (2 * text.Length), "the text around it is deflated");
        CompressionTestData.RunChecked("gzip", "-dc", gz).Should().Equal([.. text, .. stored, .. text]);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("zlib", false)]
    [InlineData("zlib", true)]
    [InlineData("libdeflate", false)]
    [InlineData("libdeflate", true)]
    public async Task Flush_MidStream_WrittenBytesDecodeToInputSoFar(string engine, bool async)
    {
        var data = CompressionTestData.Create(100_000, seed: 6);
        var sink = new MemoryStream();
        var gzip = new ParallelGzipStream(sink, new CompressionOptions { Threads = 2, ChunkSize = SmallChunk, Engine = Engine(engine) }, leaveOpen: true);
        await using (gzip)
        {
            if (async)
            {
                await gzip.WriteAsync(data);
                await gzip.FlushAsync();
            }
            else
            {
                gzip.Write(data);
                gzip.Flush();
            }

            var soFar = sink.ToArray();
            using var inflater = new DeflateStream(new MemoryStream(soFar, 10, soFar.Length - 10), CompressionMode.Decompress);
            var decoded = new MemoryStream();
            await inflater.CopyToAsync(decoded);
            decoded.ToArray().Should().Equal(data);
            gzip.Write(data);
        }

        CompressionTestData.RunChecked("gzip", "-dc", sink.ToArray()).Should().Equal([.. data, .. data]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Write_WorkerThrows_ExceptionSurfacesAndStreamRefusesMore(bool async)
    {
        var data = CompressionTestData.Create(SmallChunk * 12, seed: 7);
        var gzip = new ParallelGzipStream(new MemoryStream(), new CompressionOptions { Threads = 2, ChunkSize = SmallChunk }, null,
            leaveOpen: false, chunkHook: index =>
            {
                if (index == 3)
                {
                    throw new InvalidOperationException("worker failed on chunk 3");
                }
            });

        // Twelve chunks need more buffers than are in flight, so a later Write waits for chunk 3 and sees its failure.
        var act = async () =>
        {
            for (var offset = 0; offset < data.Length; offset += 1000)
            {
                var piece = data.AsMemory(offset, Math.Min(1000, data.Length - offset));
                if (async)
                {
                    await gzip.WriteAsync(piece);
                }
                else
                {
                    gzip.Write(piece.Span);
                }
            }
        };

        var thrown = (await act.Should().ThrowAsync<InvalidOperationException>()).Which;
        thrown.Message.Should().Be("worker failed on chunk 3");
        var again = () => gzip.Write(data.AsSpan(0, 10));
        again.Should().Throw<InvalidOperationException>().WithInnerException<InvalidOperationException>().WithMessage("worker failed on chunk 3");
        await gzip.Invoking(g => g.DisposeAsync().AsTask()).Should().NotThrowAsync();
    }

    [Fact]
    public async Task WriteAsync_CancelledWhileWaitingForWorkers_ThrowsAndDisposeReportsIncompleteOutput()
    {
        using var release = new ManualResetEventSlim();
        var logger = new FakeLogger();
        var data = CompressionTestData.Create(SmallChunk * 12, seed: 8);
        var gzip = new ParallelGzipStream(new MemoryStream(), new CompressionOptions { Threads = 2, ChunkSize = SmallChunk }, logger,
            leaveOpen: false, chunkHook: index =>
            {
                if (index == 0)
                {
                    release.Wait();
                }
            });
        using var cancellation = new CancellationTokenSource();

        // Chunk 0 never finishes, so the writer runs out of chunk buffers and waits for it until cancelled.
        var write = gzip.WriteAsync(data, cancellation.Token).AsTask();
        await Task.Delay(50);
        write.IsCompleted.Should().BeFalse();
        await cancellation.CancelAsync();
        await write.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();

        release.Set();
        await gzip.DisposeAsync();
        logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1103 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task WriteAsync_AlreadyCancelled_ReturnsCanceledTask()
    {
        await using var gzip = new ParallelGzipStream(new MemoryStream());
        var act = () => gzip.WriteAsync(new byte[10], new CancellationToken(canceled: true)).AsTask();
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Dispose_DestinationFails_ThrowsDestinationError()
    {
        var sink = NonSeekableStream.Writing(new MemoryStream());
        var gzip = new ParallelGzipStream(sink, new CompressionOptions { Threads = 2 });
        gzip.Write(CompressionTestData.Create(10_000));
        sink.FailWith = new IOException("disk full");

        var act = () => gzip.Dispose();
        act.Should().Throw<IOException>().WithMessage("disk full");
        sink.IsDisposed.Should().BeTrue();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_LeaveOpen_DecidesWhetherDestinationIsDisposed(bool leaveOpen)
    {
        var sink = NonSeekableStream.Writing(new MemoryStream());
        await using (var gzip = new ParallelGzipStream(sink, leaveOpen: leaveOpen))
        {
            gzip.Write([1, 2, 3]);
        }

        sink.IsDisposed.Should().Be(!leaveOpen);
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        var readOnly = new MemoryStream([], writable: false);
        ((Action)(() => _ = new ParallelGzipStream(readOnly))).Should().Throw<ArgumentException>().WithParameterName("destination");
        ((Action)(() => _ = new ParallelGzipStream(new MemoryStream(), new CompressionOptions { Method = CompressionMethod.Xz })))
            .Should().Throw<ArgumentException>().WithParameterName("options");
        ((Action)(() => _ = new ParallelGzipStream(new MemoryStream(), new CompressionOptions { Level = 10 })))
            .Should().Throw<ArgumentException>().WithParameterName("options");
    }

    [Fact]
    public void Stream_Capabilities_WriteOnlyAndUnseekable()
    {
        using var gzip = new ParallelGzipStream(new MemoryStream());
        gzip.CanWrite.Should().BeTrue();
        gzip.CanRead.Should().BeFalse();
        gzip.CanSeek.Should().BeFalse();
        ((Func<long>)(() => gzip.Length)).Should().Throw<NotSupportedException>();
        ((Func<int>)(() => gzip.Read(new byte[1], 0, 1))).Should().Throw<NotSupportedException>();
    }

    internal static async Task<byte[]> CompressAsync(byte[] data, CompressionOptions options, bool async)
    {
        var sink = new MemoryStream();
        var gzip = new ParallelGzipStream(NonSeekableStream.Writing(sink), options);

        // Uneven writes, so chunk boundaries never line up with calls.
        var offset = 0;
        var size = 1;
        while (offset < data.Length)
        {
            var count = Math.Min(size, data.Length - offset);
            if (async)
            {
                await gzip.WriteAsync(data.AsMemory(offset, count));
            }
            else
            {
                gzip.Write(data, offset, count);
            }

            offset += count;
            size = (size * 7 % 100_003) + 1;
        }

        if (async)
        {
            await gzip.DisposeAsync();
        }
        else
        {
            gzip.Dispose();
        }

        return sink.ToArray();
    }

    internal static GzipEngine Engine(string name) => Enum.Parse<GzipEngine>(name, ignoreCase: true);

    private static uint Crc32(byte[] data)
    {
        var crc = 0xffffffffu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xedb88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }
}
