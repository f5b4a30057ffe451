using Xcat.Imaging.Cpio;
using static Xcat.Imaging.Tests.Cpio.CpioTestArchives;

namespace Xcat.Imaging.Tests.Cpio;

public sealed class CpioHeaderTests
{
    private static uint ScalarSum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        foreach (var b in data)
        {
            sum += b;
        }

        return sum;
    }

    [Fact]
    public void Sum_EveryLengthAndOffset_MatchesByteByByteSum()
    {
        var data = Bytes(1000, 5);
        for (var offset = 0; offset < 3; offset++)
        {
            for (var length = 0; length <= 300; length++)
            {
                var slice = data.AsSpan(offset, length);
                CpioHeader.Sum(slice, 7).Should().Be(ScalarSum(slice) + 7, $"offset {offset}, length {length}");
            }
        }
    }

    [Fact]
    public void Sum_BeyondFourGiBOfTotal_WrapsAt32Bits()
    {
        var ones = new byte[20 << 20];
        Array.Fill(ones, (byte)0xFF);
        // 0xFF * 20 MiB = 5,347,737,600, which wraps to 1,052,770,304.
        CpioHeader.Sum(ones, 0).Should().Be(1_052_770_304u);
    }

    [Theory]
    [InlineData(1, 2)] // 110 + 1 = 111 -> 112
    [InlineData(2, 2)] // 112 already aligned
    [InlineData(3, 6)] // 113 -> 116
    [InlineData(4, 6)]
    [InlineData(5, 6)]
    [InlineData(6, 6)] // 116 already aligned
    [InlineData(7, 10)] // 117 -> 120
    [InlineData(4096, 4098)] // 4206 -> 4208
    public void PaddedNameSize_MatchesTheKernelsNAlign(int nameSize, int padded)
    {
        // N_ALIGN(len) = ((len + 1) & ~3) + 2 in init/initramfs.c
        CpioHeader.PaddedNameSize(nameSize).Should().Be(padded).And.Be(((nameSize + 1) & ~3) + 2);
    }
}
