using System.Globalization;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;

namespace Xcat.Imaging.Cli.Verbs;

/// <summary>Option letters packimage and pack share: -m, -c, --level, --threads.</summary>
internal static class PackSupport
{
    public static OptionParser PackOptions(this OptionParser parser)
        => parser.Value('m', "method").Value('c', "compress").Value(null, "level").Value(null, "threads");

    public static RamdiskPackOptions CreateOptions(ParsedOptions options, bool allowNone)
    {
        var format = options.Get("method") switch
        {
            null or "cpio" => ArchiveFormat.Cpio,
            "tar" => ArchiveFormat.Tar,
            var other => throw new ArgumentException($"Invalid archive method '{other}' requested"),
        };
        var method = options.Get("compress") switch
        {
            null or "gzip" or "pigz" => CompressionMethod.Gzip,
            "xz" => CompressionMethod.Xz,
            "zstd" => CompressionMethod.Zstd,
            "none" when allowNone => CompressionMethod.None,
            var other => throw new ArgumentException($"Invalid compress method '{other}' requested"),
        };
        var compression = new CompressionOptions { Method = method };
        if (options.Get("level") is { } level)
        {
            // Checked here against the method, so that the message names the option rather than a property.
            var (minimum, maximum) = method switch
            {
                CompressionMethod.Zstd => (1, 22),
                CompressionMethod.None => (0, 22),
                _ => (0, 9),
            };
            compression.Level = ParseInt(level, "--level", minimum, maximum, $" for {options.Get("compress") ?? "gzip"}");
        }

        if (options.Get("threads") is { } threads)
        {
            compression.Threads = ParseInt(threads, "--threads", 1, CompressionOptions.MaximumThreads, string.Empty);
        }

        return new RamdiskPackOptions { Format = format, Compression = compression };
    }

    public static async Task WriteSummaryAsync(CliContext context, RamdiskPackResult result)
    {
        var ratio = result.ArchiveBytes > 0 ? (double)result.CompressedBytes / result.ArchiveBytes : 0;
        await context.Out.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $"{result.Entries} entries ({result.ExcludedEntries} excluded), {ConsoleProgressBar.FormatBytes(result.ArchiveBytes)} archive, " +
            $"{ConsoleProgressBar.FormatBytes(result.CompressedBytes)} compressed ({ratio:P1})\n"));
        if (result.ArchivePath is not null)
        {
            await context.Out.WriteAsync($"Wrote {DisplayText.Escape(result.ArchivePath)}\n");
        }

        if (result.ChecksumPath is not null)
        {
            await context.Out.WriteAsync($"sha256 {result.Sha256} in {DisplayText.Escape(result.ChecksumPath)}\n");
        }
    }

    private static int ParseInt(string value, string option, int minimum, int maximum, string what)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum
            ? number
            : throw new UsageException($"The option '{option}' needs a whole number from {minimum} to {maximum}{what}, not '{value}'.");
}
