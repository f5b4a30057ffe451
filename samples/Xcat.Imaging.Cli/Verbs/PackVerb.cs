namespace Xcat.Imaging.Cli.Verbs;

internal sealed class PackVerb : IVerb
{
    public string Name => "pack";

    public string Summary => "Pack any root directory into a (compressed) cpio or tar archive, catalog-free.";

    public string Usage => "pack <rootimg-dir> -o <file> [-m cpio|tar] [-c gzip|pigz|xz|zstd|none] [--exlist FILE[,FILE...]] [--level N] [--threads N]";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("rootimg-dir", "The root directory to pack.")
        .Value('o', "output", "file", "The archive to write (atomically). A name ending .cpio or .tar, then .gz, .xz or .zst, sets -m and -c.")
        .PackOptions(allowNone: true)
        .Value(null, "exlist", "FILE[,FILE...]", "xCAT exclusion lists: find -path globs relative to the root, '+' re-includes.")
        .Flag('v', "verbose", "Log what is done on stderr.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Positional.Count != 1 || options.Positional[0].Length == 0)
        {
            throw new UsageException("pack takes one root directory.");
        }

        var output = options.Get("output") is { Length: > 0 } given ? given : throw new UsageException("The output file (-o) is required.");
        var root = context.ResolvePath(options.Positional[0]);
        var (method, compress) = PackSupport.InferFromName(output, options.Get("method"), options.Get("compress"));
        var packOptions = PackSupport.CreateOptions(options, method, compress, allowNone: true);
        if (options.Get("exlist") is { } exlists)
        {
            var files = exlists.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(context.ResolvePath).ToList();
            packOptions.ExcludeList = await Exclusion.ExcludeList.LoadAsync(new System.IO.Abstractions.FileSystem(), files, cancellationToken);
        }

        var packer = new Packing.RamdiskPacker(loggerFactory: context.LoggerFactory);
        using var bar = new ConsoleProgressBar(context.Error, context.IsTerminal);
        var result = await packer.PackToFileAsync(root, context.ResolvePath(output), packOptions, bar, cancellationToken);
        bar.Dispose();
        await PackSupport.WriteSummaryAsync(context, result);
        return CliApplication.Success;
    }
}
