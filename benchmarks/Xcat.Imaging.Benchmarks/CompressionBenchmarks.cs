using System.Diagnostics;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Compression.Interop;

namespace Xcat.Imaging.Benchmarks;

/// <summary>
/// Compression of ~64 MiB of real files (half from /usr/lib, half from /usr/share, in sorted order) into
/// <see cref="Stream.Null"/>: parallel single-member gzip on each engine (libdeflate, the zlib fallback) against the
/// BCL's GZipStream, zstd and xz, and the block scan that splices libdeflate's chunks.
/// Setup prints each method's size against <c>gzip -6</c>.
/// </summary>
[MemoryDiagnoser]
public class CompressionBenchmarks
{
    private const int DataSize = 64 * 1024 * 1024;
    private byte[] _data = [];
    private byte[] _gzip = [];
    private byte[] _chunkDeflate = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = [.. ReadFiles("/usr/lib", DataSize / 2), .. ReadFiles("/usr/share", DataSize / 2)];
        var reference = GzipTool(_data);
        Console.WriteLine($"// data {_data.Length} bytes, gzip -6 {reference} bytes ({Ratio(reference)})");
        foreach (var (name, options) in new (string, CompressionOptions)[]
        {
            ("parallel gzip -6, libdeflate", new CompressionOptions { Threads = 2, Engine = GzipEngine.LibDeflate }),
            ("parallel gzip -6, zlib", new CompressionOptions { Threads = 2, Engine = GzipEngine.ZLib }),
            ("zstd -3", new CompressionOptions { Method = CompressionMethod.Zstd, Threads = 2 }),
            ("xz -6 (crc32)", new CompressionOptions { Method = CompressionMethod.Xz, Threads = 2 }),
        })
        {
            var size = Compress(options).Length;
            Console.WriteLine($"// {name}: {size} bytes ({Ratio(size)}), {(double)size / reference:F4} x gzip -6");
        }

        var bcl = new MemoryStream();
        using (var gzip = new GZipStream(bcl, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(_data);
        }

        Console.WriteLine($"// GZipStream Optimal: {bcl.Length} bytes ({Ratio(bcl.Length)}), {(double)bcl.Length / reference:F4} x gzip -6");
        _gzip = Compress(new CompressionOptions());
        var compressor = LibDeflate.AllocCompressor(6);
        _chunkDeflate = new byte[(int)LibDeflate.CompressBound(compressor, 1 << 20)];
        _chunkDeflate = _chunkDeflate[..LibDeflate.Compress(compressor, _data.AsSpan(0, 1 << 20), _chunkDeflate)];
        LibDeflate.FreeCompressor(compressor);
    }

    [Benchmark(Baseline = true)]
    public void GZipStreamOptimal()
    {
        using var gzip = new GZipStream(Stream.Null, CompressionLevel.Optimal);
        gzip.Write(_data);
    }

    [Benchmark]
    [Arguments("libdeflate", 1)]
    [Arguments("libdeflate", 2)]
    [Arguments("zlib", 1)]
    [Arguments("zlib", 2)]
    public void ParallelGzip(string engine, int threads)
    {
        var options = new CompressionOptions { Threads = threads, Engine = Enum.Parse<GzipEngine>(engine, ignoreCase: true) };
        using var gzip = new ParallelGzipStream(Stream.Null, options);
        gzip.Write(_data);
    }

    /// <summary>The splice's extra work per 1 MiB chunk: walking libdeflate's blocks to the final one.</summary>
    [Benchmark]
    public long ScanFinalBlock1MiB() => DeflateBlockScanner.FindFinalBlock(_chunkDeflate).EndBit;

    [Benchmark]
    [Arguments(2)]
    public void Zstd(int threads)
    {
        using var zstd = CompressionStreams.CreateCompressor(Stream.Null, new CompressionOptions { Method = CompressionMethod.Zstd, Threads = threads });
        zstd.Write(_data);
    }

    [Benchmark]
    [Arguments(2)]
    public void Xz(int threads)
    {
        using var xz = CompressionStreams.CreateCompressor(Stream.Null, new CompressionOptions { Method = CompressionMethod.Xz, Threads = threads });
        xz.Write(_data);
    }

    [Benchmark]
    public void GzipDecompress()
    {
        using var reader = CompressionStreams.OpenDecompressor(new MemoryStream(_gzip));
        reader.CopyTo(Stream.Null);
    }

    internal static byte[] ReadFiles(string root, int budget)
    {
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Order(StringComparer.Ordinal);
        var output = new MemoryStream(budget);
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            if (info.Length > 4 * 1024 * 1024)
            {
                continue;
            }

            output.Write(File.ReadAllBytes(file));
            if (output.Length >= budget)
            {
                break;
            }
        }

        var bytes = output.ToArray();
        return bytes.Length > budget ? bytes[..budget] : bytes;
    }

    internal static long GzipTool(byte[] data, string arguments = "-6 -n -c")
    {
        var info = new ProcessStartInfo("gzip", arguments) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var count = Task.Run(() =>
        {
            var buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = process.StandardOutput.BaseStream.Read(buffer)) > 0)
            {
                total += n;
            }

            return total;
        });
        process.StandardInput.BaseStream.Write(data);
        process.StandardInput.Close();
        process.WaitForExit();
        return count.Result;
    }

    private byte[] Compress(CompressionOptions options)
    {
        var sink = new MemoryStream();
        using (var stream = CompressionStreams.CreateCompressor(sink, options, leaveOpen: true))
        {
            stream.Write(_data);
        }

        return sink.ToArray();
    }

    private string Ratio(long size) => $"{100.0 * size / _data.Length:F1} %";
}
