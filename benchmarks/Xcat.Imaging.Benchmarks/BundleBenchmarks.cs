using BenchmarkDotNet.Attributes;
using Xcat.Imaging.Bundles;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Benchmarks;

/// <summary>
/// The bundle layer in process: writing a bundle whose main member is an already-compressed 256 MiB rootimg (random
/// bytes behind a gzip magic, as incompressible as a real rootimg.cpio.gz), stored against deflated again, to
/// <see cref="Stream.Null"/>; and reading such a bundle (checksums verified) into a directory.
/// </summary>
[MemoryDiagnoser]
public class BundleBenchmarks
{
    private const int Size = 256 * 1024 * 1024;
    private string _work = string.Empty;
    private string _rootimg = string.Empty;
    private string _bundle = string.Empty;
    private BundleManifest _manifest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _work = Directory.CreateTempSubdirectory("xcatimg-bundle-bench-").FullName;
        _rootimg = Path.Combine(_work, "rootimg.cpio.gz");
        var data = new byte[Size];
        new Random(42).NextBytes(data);
        data[0] = 0x1F;
        data[1] = 0x8B;
        File.WriteAllBytes(_rootimg, data);
        _manifest = new BundleManifest(ImageDefinition.FromColumns(
            new Dictionary<string, string> { ["imagename"] = "img", ["provmethod"] = "netboot", ["profile"] = "p", ["osvers"] = "rhels9", ["osarch"] = "x86_64" },
            new Dictionary<string, string> { ["imagename"] = "img" })) { RootImage = _rootimg };
        _bundle = Path.Combine(_work, "bundle.tgz");
        using var file = File.Create(_bundle);
        Write(file, store: true);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_work, recursive: true);

    [Benchmark(Baseline = true)]
    public void WriteStored() => Write(Stream.Null, store: true);

    [Benchmark]
    public void WriteDeflated() => Write(Stream.Null, store: false);

    [Benchmark]
    public void ReadAndVerify()
    {
        var destination = Path.Combine(_work, "out");
        using (var source = File.OpenRead(_bundle))
        {
            var reader = new BundleReader(source, leaveOpen: true);
            reader.ExtractToDirectoryAsync(destination).GetAwaiter().GetResult();
        }

        Directory.Delete(destination, recursive: true);
    }

    private void Write(Stream destination, bool store)
    {
        var options = new BundleWriterOptions { StoreCompressedMembers = store };
        var writer = new BundleWriter(destination, options, leaveOpen: true);
        writer.WriteManifestAsync("img", _manifest).GetAwaiter().GetResult();
        writer.AddFileAsync(_rootimg, "img/rootimg.cpio.gz").GetAwaiter().GetResult();
        writer.CompleteAsync().GetAwaiter().GetResult();
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
