using System.Globalization;
using BenchmarkDotNet.Running;
using Xcat.Imaging.Benchmarks;

if (args is ["--cpio-interleaved", ..])
{
    CpioInterleaved.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60);
    return;
}

if (args is ["--gzip-levels", ..])
{
    GzipLevels.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
