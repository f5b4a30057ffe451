using Xcat.Imaging.Compression;

namespace Xcat.Imaging.Tests.Compression;

public sealed class CompressionOptionsTests
{
    [Fact]
    public void Defaults_AreParallelGzipLevel6()
    {
        var options = new CompressionOptions();
        options.Method.Should().Be(CompressionMethod.Gzip);
        options.Level.Should().BeNull();
        options.GetEffectiveLevel().Should().Be(6);
        options.Threads.Should().Be(Environment.ProcessorCount);
        options.ChunkSize.Should().Be(CompressionOptions.DefaultChunkSize);
    }

    [Theory]
    [InlineData(CompressionMethod.Gzip, 6)]
    [InlineData(CompressionMethod.Zstd, 3)]
    [InlineData(CompressionMethod.Xz, 6)]
    [InlineData(CompressionMethod.None, 0)]
    public void GetEffectiveLevel_NoLevel_IsMethodDefault(CompressionMethod method, int expected)
    {
        new CompressionOptions { Method = method }.GetEffectiveLevel().Should().Be(expected);
        new CompressionOptions { Method = method, Level = 2 }.GetEffectiveLevel().Should().Be(2);
    }

    [Fact]
    public void Setters_OutOfRange_ThrowNamingValue()
    {
        var options = new CompressionOptions();
        ((Action)(() => options.Level = -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
        ((Action)(() => options.Level = 23)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
        ((Action)(() => options.Threads = 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
        ((Action)(() => options.Threads = CompressionOptions.MaximumThreads + 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
        ((Action)(() => options.ChunkSize = CompressionOptions.MinimumChunkSize - 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
        ((Action)(() => options.ChunkSize = CompressionOptions.MaximumChunkSize + 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
        ((Action)(() => options.Method = (CompressionMethod)99)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
        options.Level = null;
        options.Level.Should().BeNull();
    }
}
