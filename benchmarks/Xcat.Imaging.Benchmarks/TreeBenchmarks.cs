using System.Runtime.Versioning;
using BenchmarkDotNet.Attributes;
using Xcat.Imaging.Trees;

namespace Xcat.Imaging.Benchmarks;

/// <summary>
/// Walking (two metadata passes: hard-link pre-pass and entries) and walk + extract of a synthetic tree of small
/// files on the temp file system. Timing runs are manual (style study E.12).
/// </summary>
[MemoryDiagnoser]
[SupportedOSPlatform("linux")]
public class TreeBenchmarks
{
    private readonly TreeWalker _walker = new();
    private string _root = string.Empty;
    private string _destination = string.Empty;

    [Params(20_000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("xcat-bench-tree-").FullName;
        var content = new byte[512];
        for (var i = 0; i < Files; i++)
        {
            var directory = Path.Combine(_root, $"d{i / 100:D4}");
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(Path.Combine(directory, $"f{i % 100:D2}"), content);
        }

        _destination = _root + "-copy";
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [IterationCleanup(Target = nameof(WalkAndExtract))]
    public void DeleteCopy()
    {
        if (Directory.Exists(_destination))
        {
            Directory.Delete(_destination, recursive: true);
        }
    }

    [Benchmark]
    public int Walk() => _walker.Walk(_root).Count();

    [Benchmark]
    public long WalkAndExtract()
    {
        var extractor = new TreeExtractor(_destination);
        foreach (var entry in _walker.Walk(_root))
        {
            using var data = entry.Length > 0 ? _walker.OpenRead(entry) : null;
            extractor.Extract(entry, data);
        }

        return extractor.Complete().Bytes;
    }
}
