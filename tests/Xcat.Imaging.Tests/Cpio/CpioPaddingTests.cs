using System.Diagnostics;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.TestKit;
using static Xcat.Imaging.Tests.Cpio.CpioTestArchives;

namespace Xcat.Imaging.Tests.Cpio;

/// <summary>
/// Zero padding after a <c>TRAILER!!!</c> is skipped in blocks: a gibibyte of it takes well under a second, and an
/// endless stream of zeros ends in bounded time and memory with an <see cref="InvalidDataException"/>.
/// </summary>
public sealed class CpioPaddingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetNextEntry_OneGibibyteOfPaddingBetweenArchives_IsSkippedQuickly(bool async)
    {
        var first = Write([FileEntry("a", Bytes(10, 1), 1)]);
        var second = Write([FileEntry("b", Bytes(20, 2), 2)]);
        var zeros = new SimulatedDataStream(1L << 30);
        using var stream = new ConcatenatedStream(new MemoryStream(first), zeros, new MemoryStream(second));
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var entries = await ReadAllAsync(stream, async);

        clock.Stop();
        entries.Select(e => (e.Name, e.ArchiveIndex)).Should().Equal(("a", 0), ("b", 1));
        entries[1].Data.Should().Be(Convert.ToHexString(Bytes(20, 2)));
        zeros.BytesRead.Should().Be(1L << 30);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "a byte-by-byte skip takes minutes");
        (GC.GetAllocatedBytesForCurrentThread() - allocated).Should().BeLessThan(16 << 20);
    }

    [Fact]
    public void GetNextEntry_EndlessZeros_AreRefusedAfterTheLimitInBoundedMemory()
    {
        var zeros = new SimulatedDataStream(long.MaxValue);
        using var stream = new ConcatenatedStream(new MemoryStream(Write([FileEntry("a", Bytes(10, 1), 1)])), zeros);
        using var reader = new CpioReader(stream, new CpioReaderOptions { MaximumPaddingLength = 256L << 20 });
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        reader.GetNextEntry()!.Name.Should().Be("a");
        var act = () => reader.GetNextEntry();

        act.Should().Throw<InvalidDataException>().WithMessage("*byte offset 248*more than 268435456 bytes of zeros follow*");
        zeros.BytesRead.Should().BeInRange((256L << 20) - (64 << 10), (256L << 20) + (64 << 10));
        (GC.GetAllocatedBytesForCurrentThread() - allocated).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public async Task GetNextEntry_EndlessZerosWithTheDefaultLimit_EndWithinSeconds()
    {
        using var stream = new ConcatenatedStream(new MemoryStream(Write([FileEntry("a", [], 1)])), new SimulatedDataStream(long.MaxValue));
        var clock = Stopwatch.StartNew();

        var act = () => ReadAllAsync(stream, async: true);

        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*more than 4294967296 bytes of zeros*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(200_003)]
    public void GetNextEntry_PaddingOfAnyLength_EndsTheStreamCleanly(int padding)
    {
        var archive = Write([FileEntry("a", Bytes(3, 1), 1)], trailerPadding: false);

        foreach (var seekable in new[] { true, false })
        {
            var bytes = (byte[])[.. archive, .. new byte[padding]];
            ReadAll(bytes).Select(e => e.Name).Should().Equal("a");
            using var reader = new CpioReader(seekable ? new MemoryStream(bytes) : new NonSeekableStream(new MemoryStream(bytes), maxReadSize: 1000));
            while (reader.GetNextEntry() is not null)
            {
            }
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(65_532)]
    [InlineData(65_536)]
    [InlineData(131_076)]
    public void GetNextEntry_ArchiveAfterPaddingOfAnyLength_IsRead(int padding)
    {
        var first = Write([FileEntry("a", Bytes(3, 1), 1)], trailerPadding: false);
        var second = Write([FileEntry("b", Bytes(70_000, 2), 2), FileEntry("c", Bytes(5, 3), 3)]);

        foreach (var maxRead in new[] { 1, 7, 4096, 1 << 20 })
        {
            using var reader = new CpioReader(new NonSeekableStream(new MemoryStream([.. first, .. new byte[padding], .. second]), maxReadSize: maxRead));
            var names = new List<string>();
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                names.Add(entry.Name);
                if (entry.Name == "b")
                {
                    new BinaryReader(entry.DataStream!).ReadBytes(100_000).Should().Equal(Bytes(70_000, 2));
                }
            }

            names.Should().Equal("a", "b", "c");
        }
    }

    [Fact]
    public void Options_NegativePaddingLimit_IsRefused()
    {
        var act = () => new CpioReaderOptions { MaximumPaddingLength = -1 };

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    /// <summary>Several streams read one after the other, unseekable.</summary>
    private sealed class ConcatenatedStream(params Stream[] parts) : Stream
    {
        private int _index;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_index < parts.Length)
            {
                var read = parts[_index].Read(buffer);
                if (read > 0 || buffer.IsEmpty)
                {
                    return read;
                }

                _index++;
            }

            return 0;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                foreach (var part in parts)
                {
                    part.Dispose();
                }
            }

            base.Dispose(disposing);
        }
    }
}
