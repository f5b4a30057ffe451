using BenchmarkDotNet.Attributes;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Nodes;
using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Benchmarks;

/// <summary>tabdump of a large table and noderange expansion over a large cluster.</summary>
[MemoryDiagnoser]
public class CatalogBenchmarks
{
    private readonly InMemoryImageCatalog _catalog = new();
    private Dictionary<string, IReadOnlyList<string>> _nodes = [];

    [Params(10_000)]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var changes = new CatalogChanges();
        _nodes = [];
        for (var i = 0; i < Nodes; i++)
        {
            var name = $"node{i:D5}";
            changes.Insert("nodelist", new Dictionary<string, string?> { ["node"] = name, ["groups"] = $"rack{i / 40},compute,all" });
            _nodes[name] = [$"rack{i / 40}", "compute", "all"];
        }

        _catalog.ApplyAsync(changes).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public Task<int> TabdumpNodelist() => new TableDump(_catalog).DumpAsync("nodelist", TextWriter.Null);

    [Benchmark]
    public int ExpandNodeRange() => NodeRange.Expand("node[00000-09999],-rack3,compute@all", _nodes).Count;
}
