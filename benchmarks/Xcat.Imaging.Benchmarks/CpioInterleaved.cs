using System.Diagnostics;
using System.Globalization;

namespace Xcat.Imaging.Benchmarks;

/// <summary>
/// The large-file comparison of <see cref="CpioBenchmarks"/> run in one process, the three variants taking turns
/// round after round, reporting minimum and median. On a shared machine whose load swings during a BenchmarkDotNet
/// run (each benchmark in its own process, minutes apart), the interleaved minimum is the fairer framing-cost figure.
/// Run with <c>-- --cpio-interleaved [rounds]</c>.
/// </summary>
internal static class CpioInterleaved
{
    internal static void Run(int rounds)
    {
        var benchmarks = new CpioBenchmarks();
        benchmarks.Setup();
        var variants = new (string Name, Action Run)[]
        {
            ("LargeFiles_RawCopy", () => benchmarks.LargeFiles_RawCopy()),
            ("LargeFiles_CpioWriter", benchmarks.LargeFiles_CpioWriter),
            ("LargeFiles_CpioWriterCrc", benchmarks.LargeFiles_CpioWriterCrc),
        };
        var times = variants.Select(_ => new List<double>()).ToArray();
        foreach (var (_, run) in variants)
        {
            run(); // warm-up
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < variants.Length; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                variants[i].Run();
                times[i].Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        var baseline = times[0].Min();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} interleaved rounds, 8 x 64 MiB to Stream.Null"));
        for (var i = 0; i < variants.Length; i++)
        {
            var sorted = times[i].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{variants[i].Name,-26} min {sorted[0],8:F2} ms  median {sorted[sorted.Count / 2],8:F2} ms  min ratio {sorted[0] / baseline:F3}"));
        }
    }
}
