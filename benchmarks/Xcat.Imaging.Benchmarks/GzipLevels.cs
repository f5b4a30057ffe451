using System.Diagnostics;
using System.Globalization;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Compression.Interop;

namespace Xcat.Imaging.Benchmarks;

/// <summary>
/// <c>--gzip-levels [MiB]</c>: on the /usr sample of <see cref="CompressionBenchmarks"/>, the size and one-core time of
/// <c>gzip -1</c>..<c>-9</c>, of the zlib engine at each level, and of libdeflate at each of its levels in independent
/// chunks of several sizes: the measurement behind the levels <see cref="LibDeflateChunkDeflater"/> uses.
/// </summary>
internal static unsafe class GzipLevels
{
    public static void Run(int mebibytes)
    {
        var size = mebibytes * 1024 * 1024;
        var data = (byte[])[.. CompressionBenchmarks.ReadFiles("/usr/lib", size / 2), .. CompressionBenchmarks.ReadFiles("/usr/share", size / 2)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data {data.Length} bytes; load {File.ReadAllText("/proc/loadavg").Trim()}"));
        var gzip = new long[10];
        for (var level = 1; level <= 9; level++)
        {
            var watch = Stopwatch.StartNew();
            gzip[level] = CompressionBenchmarks.GzipTool(data, $"-{level} -n -c");
            Report($"gzip -{level}", gzip[level], watch.Elapsed, data.Length, gzip[6]);
        }

        for (var level = 1; level <= 9; level++)
        {
            var watch = Stopwatch.StartNew();
            var length = Stream(data, new CompressionOptions { Level = level, Threads = 1, Engine = GzipEngine.ZLib });
            Report($"zlib engine {level} (128 KiB)", length, watch.Elapsed, data.Length, gzip[level]);
        }

        foreach (var chunk in new[] { 256 << 10, 1 << 20, 4 << 20 })
        {
            var watch = Stopwatch.StartNew();
            var length = Chunks(data, 6, chunk);
            Report($"libdeflate 6 ({chunk >> 10} KiB)", length, watch.Elapsed, data.Length, gzip[6]);
        }

        ScanCost(data);
        if (Environment.GetEnvironmentVariable("GZIP_LEVELS_SCAN_ONLY") is not null)
        {
            return;
        }

        for (var level = 1; level <= 12; level++)
        {
            var watch = Stopwatch.StartNew();
            var length = Chunks(data, level, 1 << 20);
            Report($"libdeflate {level} (1 MiB)", length, watch.Elapsed, data.Length, gzip[Math.Min(level, 9)]);
        }
    }

    /// <summary>Time to compress each 1 MiB chunk at level 6 against time to scan its output, interleaved, 3 rounds.</summary>
    private static void ScanCost(byte[] data)
    {
        const int chunk = 1 << 20;
        var compressor = LibDeflate.AllocCompressor(6);
        var outputs = new List<byte[]>();
        for (var round = 0; round < 3; round++)
        {
            var compress = TimeSpan.Zero;
            var scan = TimeSpan.Zero;
            outputs.Clear();
            for (var offset = 0; offset < data.Length; offset += chunk)
            {
                var output = new byte[(int)LibDeflate.CompressBound(compressor, chunk)];
                var watch = Stopwatch.StartNew();
                var length = LibDeflate.Compress(compressor, data.AsSpan(offset, Math.Min(chunk, data.Length - offset)), output);
                compress += watch.Elapsed;
                watch.Restart();
                _ = DeflateBlockScanner.FindFinalBlock(output.AsSpan(0, length));
                scan += watch.Elapsed;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: compress {compress.TotalMilliseconds:F0} ms, scan {scan.TotalMilliseconds:F0} ms ({scan / compress:P1})"));
        }

        LibDeflate.FreeCompressor(compressor);
    }

    private static void Report(string name, long length, TimeSpan elapsed, int input, long reference) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} {length,12} bytes {length / (double)reference,7:F4} x ref {input / elapsed.TotalSeconds / 1e6,7:F1} MB/s"));

    private static long Stream(byte[] data, CompressionOptions options)
    {
        var counter = new CountingStream();
        using (var gzip = new ParallelGzipStream(counter, options))
        {
            gzip.Write(data);
        }

        return counter.Count;
    }

    private static long Chunks(byte[] data, int level, int chunk)
    {
        var compressor = LibDeflate.AllocCompressor(level);
        var output = new byte[(int)LibDeflate.CompressBound(compressor, (nuint)chunk)];
        long total = 18;
        fixed (byte* input = data)
        fixed (byte* o = output)
        {
            for (var offset = 0; offset < data.Length; offset += chunk)
            {
                var count = Math.Min(chunk, data.Length - offset);
                total += (long)LibDeflate.Compress(compressor, input + offset, (nuint)count, o, (nuint)output.Length) + 5;
            }
        }

        LibDeflate.FreeCompressor(compressor);
        return total;
    }

    private sealed class CountingStream : System.IO.Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Count += count;

        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;
    }
}
