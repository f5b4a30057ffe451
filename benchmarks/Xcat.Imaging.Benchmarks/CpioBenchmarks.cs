using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.Internal;

namespace Xcat.Imaging.Benchmarks;

/// <summary>
/// CpioWriter framing cost against copying the same bytes raw: a 50,000-entry synthetic tree of small files and
/// 8 × 64 MiB files, all written to <see cref="Stream.Null"/> with data from one shared in-memory buffer. The raw
/// baselines read through a 128 KiB buffer like the writer's (MemoryStream.CopyTo would skip the copy). The shared
/// data and both copy buffers start on 64-byte boundaries, as page-cache reads do: memcpy speed depends on the
/// relative alignment of source and destination, which would otherwise vary from run to run.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CpioBenchmarks
{
    private const int SmallFileCount = 50_000;
    private const int FilesPerDirectory = 100;
    private const int LargeFileCount = 8;
    private const int LargeFileSize = 64 << 20;
    private const int CopyBufferSize = 128 * 1024;

    private ArraySegment<byte> _shared;
    private ArraySegment<byte> _copyBuffer;
    private string[] _directoryNames = [];
    private string[] _fileNames = [];
    private int[] _fileSizes = [];
    private byte[] _smallTreeArchive = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _shared = Segment(AlignedBuffer.Allocate(LargeFileSize));
        random.NextBytes(_shared);
        _copyBuffer = Segment(AlignedBuffer.Allocate(CopyBufferSize));
        _directoryNames = Enumerable.Range(0, SmallFileCount / FilesPerDirectory).Select(d => $"usr/share/d{d:D3}").ToArray();
        _fileNames = Enumerable.Range(0, SmallFileCount).Select(i => $"usr/share/d{i / FilesPerDirectory:D3}/file-{i:D5}.txt").ToArray();
        _fileSizes = Enumerable.Range(0, SmallFileCount).Select(_ => random.Next(0, 2048)).ToArray();
        using var archive = new MemoryStream();
        WriteSmallTree(archive);
        _smallTreeArchive = archive.ToArray();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("SmallTree")]
    public long SmallTree_RawCopy()
    {
        long total = 0;
        for (var i = 0; i < SmallFileCount; i++)
        {
            total += RawCopy(SharedData(_fileSizes[i]));
        }

        return total;
    }

    [Benchmark]
    [BenchmarkCategory("SmallTree")]
    public void SmallTree_CpioWriter() => WriteSmallTree(Stream.Null);

    [Benchmark]
    [BenchmarkCategory("SmallTree")]
    public async Task SmallTree_CpioWriterAsync()
    {
        await using var writer = new CpioWriter(Stream.Null, leaveOpen: true);
        foreach (var entry in SmallTreeEntries())
        {
            await writer.WriteEntryAsync(entry);
        }
    }

    [Benchmark]
    [BenchmarkCategory("SmallTree")]
    public long SmallTree_CpioReader()
    {
        using var reader = new CpioReader(new MemoryStream(_smallTreeArchive, writable: false));
        long entries = 0;
        while (reader.GetNextEntry() is not null)
        {
            entries++;
        }

        return entries;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("LargeFiles")]
    public long LargeFiles_RawCopy()
    {
        long total = 0;
        for (var i = 0; i < LargeFileCount; i++)
        {
            total += RawCopy(SharedData(LargeFileSize));
        }

        return total;
    }

    [Benchmark]
    [BenchmarkCategory("LargeFiles")]
    public void LargeFiles_CpioWriter() => WriteLargeFiles(CpioFormat.Newc);

    [Benchmark]
    [BenchmarkCategory("LargeFiles")]
    public void LargeFiles_CpioWriterCrc() => WriteLargeFiles(CpioFormat.Crc);

    private static ArraySegment<byte> Segment(Memory<byte> memory) =>
        MemoryMarshal.TryGetArray<byte>(memory, out var segment) ? segment : throw new InvalidOperationException();

    private MemoryStream SharedData(int length) => new(_shared.Array!, _shared.Offset, length, writable: false);

    private long RawCopy(Stream source)
    {
        long total = 0;
        int read;
        while ((read = source.Read(_copyBuffer)) > 0)
        {
            Stream.Null.Write(_copyBuffer.AsSpan(0, read));
            total += read;
        }

        return total;
    }

    private void WriteLargeFiles(CpioFormat format)
    {
        using var writer = new CpioWriter(Stream.Null, format, leaveOpen: true);
        for (var i = 0; i < LargeFileCount; i++)
        {
            var entry = new CpioEntry(CpioEntryType.RegularFile, $"boot/large-{i}.img")
            {
                Inode = (uint)i + 1,
                ModificationTime = DateTimeOffset.UnixEpoch,
                DataStream = SharedData(LargeFileSize),
            };
            writer.WriteEntry(entry);
        }
    }

    private void WriteSmallTree(Stream destination)
    {
        using var writer = new CpioWriter(destination, leaveOpen: true);
        foreach (var entry in SmallTreeEntries())
        {
            writer.WriteEntry(entry);
        }
    }

    private IEnumerable<CpioEntry> SmallTreeEntries()
    {
        uint inode = 1;
        for (var i = 0; i < SmallFileCount; i++)
        {
            if (i % FilesPerDirectory == 0)
            {
                yield return new CpioEntry(CpioEntryType.Directory, _directoryNames[i / FilesPerDirectory])
                {
                    Inode = inode++,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                };
            }

            yield return new CpioEntry(CpioEntryType.RegularFile, _fileNames[i])
            {
                Inode = inode++,
                ModificationTime = DateTimeOffset.UnixEpoch,
                DataStream = SharedData(_fileSizes[i]),
            };
        }
    }
}
