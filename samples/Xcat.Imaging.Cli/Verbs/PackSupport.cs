using System.Globalization;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;

namespace Xcat.Imaging.Cli.Verbs;

/// <summary>Option letters packimage and pack share: -m, -c, --level, --threads.</summary>
internal static class PackSupport
{
    private static readonly string[] s_methods = ["cpio", "tar"];
    private static readonly string[] s_compressions = ["gzip", "pigz", "xz", "zstd"];
    private static readonly string[] s_compressionsOrNone = [.. s_compressions, "none"];

    /// <summary>-m, -c, --level and --threads; packimage's -c has no 'none' (xCAT's has none either).</summary>
    public static VerbSyntax PackOptions(this VerbSyntax syntax, bool allowNone)
    {
        var compressions = allowNone ? s_compressionsOrNone : s_compressions;
        return syntax
            .Value('m', "method", "cpio|tar", "The archive format. tar keeps extended attributes (file capabilities); cpio drops them.",
                defaultValue: "cpio", accepted: s_methods,
                invalid: value => $"Invalid archive method '{value}' requested; -m takes {Listing.OneOf(s_methods)}.")
            .Value('c', "compress", string.Join('|', compressions), "The compression (pigz is gzip).", defaultValue: "gzip", accepted: compressions,
                invalid: value => $"Invalid compress method '{value}' requested; -c takes {Listing.OneOf(compressions)}.")
            .Value(null, "level", "N", "The compression level: 0 to 9 for gzip and xz, 1 to 22 for zstd. [default: gzip 6, xz 6, zstd 3]")
            .Value(null, "threads", "N", $"Compression threads, 1 to {CompressionOptions.MaximumThreads}. [default: the processor count]");
    }

    public static RamdiskPackOptions CreateOptions(ParsedOptions options, bool allowNone)
        => CreateOptions(options, options.Get("method"), options.Get("compress"), allowNone);

    /// <summary>The pack options for an archive format and compression named by -m and -c (or inferred by the caller).</summary>
    public static RamdiskPackOptions CreateOptions(ParsedOptions options, string? methodName, string? compressName, bool allowNone)
    {
        var format = methodName switch
        {
            null or "cpio" => ArchiveFormat.Cpio,
            "tar" => ArchiveFormat.Tar,
            var other => throw new UsageException($"Invalid archive method '{other}' requested; -m takes {Listing.OneOf(s_methods)}."),
        };
        var method = compressName switch
        {
            null or "gzip" or "pigz" => CompressionMethod.Gzip,
            "xz" => CompressionMethod.Xz,
            "zstd" => CompressionMethod.Zstd,
            "none" when allowNone => CompressionMethod.None,
            var other => throw new UsageException($"Invalid compress method '{other}' requested; -c takes {Listing.OneOf(allowNone ? s_compressionsOrNone : s_compressions)}."),
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
            compression.Level = ParseInt(level, "--level", minimum, maximum, $" for {compressName ?? "gzip"}");
        }

        if (options.Get("threads") is { } threads)
        {
            compression.Threads = ParseInt(threads, "--threads", 1, CompressionOptions.MaximumThreads, string.Empty);
        }

        return new RamdiskPackOptions { Format = format, Compression = compression };
    }

    /// <summary>
    /// -m and -c from the output's name (<c>x.tar.zst</c>, <c>x.cpio</c>, <c>x.tgz</c>) when not given; a given one
    /// that the name contradicts is refused, so that <c>x.tar.zst</c> never holds a gzip cpio.
    /// </summary>
    public static (string? Method, string? Compress) InferFromName(string output, string? method, string? compress)
    {
        var name = Path.GetFileName(output).ToLowerInvariant();
        string? named = null;
        string? compressed = null;
        foreach (var (suffix, value) in new[] { (".gz", "gzip"), (".xz", "xz"), (".zst", "zstd"), (".zstd", "zstd"), (".tgz", "gzip") })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                compressed = value;
                name = suffix == ".tgz" ? name[..^suffix.Length] + ".tar" : name[..^suffix.Length];
                break;
            }
        }

        if (name.EndsWith(".cpio", StringComparison.Ordinal) || name.EndsWith(".tar", StringComparison.Ordinal))
        {
            named = name.EndsWith(".tar", StringComparison.Ordinal) ? "tar" : "cpio";
            compressed ??= "none";
        }

        if (method is not null && named is not null && method != named)
        {
            throw new UsageException($"The output '{DisplayText.Escape(output)}' is named as a {named} archive but -m is {method}; rename the output or leave -m out.");
        }

        if (compress is not null && compressed is not null && (compress == "pigz" ? "gzip" : compress) != compressed)
        {
            throw new UsageException($"The output '{DisplayText.Escape(output)}' is named as {(compressed == "none" ? "uncompressed" : compressed)} but -c is {compress}; rename the output or leave -c out.");
        }

        return (method ?? named, compress ?? compressed);
    }

    public static async Task WriteSummaryAsync(CliContext context, RamdiskPackResult result)
    {
        var ratio = result.ArchiveBytes > 0 ? (double)result.CompressedBytes / result.ArchiveBytes : 0;
        await context.Out.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $"{result.Entries} entries ({result.ExcludedEntries} excluded), {ConsoleProgressBar.FormatBytes(result.ArchiveBytes)} archive, " +
            $"{ConsoleProgressBar.FormatBytes(result.CompressedBytes)} compressed ({ratio:P1})\n"));
        if (result.EntriesWithDroppedExtendedAttributes > 0)
        {
            var dropped = result.EntriesWithDroppedExtendedAttributes;
            var count = dropped.ToString(CultureInfo.InvariantCulture);
            var members = dropped == 1 ? "member lost its" : "members lost their";
            await context.Error.WriteAsync($"Warning: {count} {members} extended attributes (file capabilities such as ping's cap_net_raw), " +
                                           "which cpio cannot hold; pack with -m tar to keep them.\n");
        }

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
