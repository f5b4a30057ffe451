using Xcat.Imaging.Compression;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Compression;

public sealed class ReadAheadStreamTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_ManyBuffers_ReturnsAllTheDataInOrder(bool async)
    {
        var data = CompressionTestData.Create(3_000_000, seed: 21);
        await using var stream = new ReadAheadStream(NonSeekableStream.Reading(data), "test");

        var output = new MemoryStream();
        var buffer = new byte[100_003];
        int read;
        while ((read = async ? await stream.ReadAsync(buffer) : stream.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        output.ToArray().Should().Equal(data);
        (async ? await stream.ReadAsync(buffer) : stream.Read(buffer)).Should().Be(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_InnerFails_DeliversTheDataBeforeThenTheSameException(bool async)
    {
        var data = CompressionTestData.Create(700_000, seed: 22);
        await using var stream = new ReadAheadStream(new FailingStream(data, failAfter: 600_000), "test");

        var output = new MemoryStream();
        var act = async () =>
        {
            var buffer = new byte[65_536];
            int read;
            while ((read = async ? await stream.ReadAsync(buffer) : stream.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
            }
        };

        await act.Should().ThrowExactlyAsync<InvalidDataException>().WithMessage("corrupt at 600000");
        output.ToArray().Should().Equal(data[..600_000]);
    }

    [Fact]
    public void Dispose_BeforeTheEnd_StopsTheThreadAndDisposesTheInnerStream()
    {
        var inner = NonSeekableStream.Reading(CompressionTestData.Create(5_000_000, seed: 23));
        var stream = new ReadAheadStream(inner, "test");
        stream.ReadByte().Should().BeGreaterThanOrEqualTo(0);

        stream.Dispose();

        inner.IsDisposed.Should().BeTrue();
        ((Action)(() => stream.ReadByte())).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task ReadAsync_Cancelled_Throws()
    {
        await using var stream = new ReadAheadStream(NonSeekableStream.Reading(new byte[10]), "test");
        var act = () => stream.ReadAsync(new byte[4], new CancellationToken(canceled: true)).AsTask();
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data, writable: false)
    {
        // MemoryStream's span read comes here for a derived type.
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAfter)
            {
                throw new InvalidDataException($"corrupt at {Position}");
            }

            return base.Read(buffer, offset, (int)Math.Min(count, failAfter - Position));
        }
    }
}
