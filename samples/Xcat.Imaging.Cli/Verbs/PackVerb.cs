namespace Xcat.Imaging.Cli.Verbs;

internal sealed class PackVerb : IVerb
{
    public string Name => "pack";

    public string Summary => "Pack any root directory into a (compressed) cpio or tar archive, catalog-free.";

    public string Usage => "pack <rootimg-dir> -o <file> [-m cpio|tar] [-c gzip|xz|zstd|none] [--exlist FILE[,FILE...]] [--level N] [--threads N]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var options = new OptionParser().PackOptions().Value('o', "output").Value(null, "exlist").Flag('v', "verbose").Parse(args);
        if (options.Positional.Count != 1 || options.Positional[0].Length == 0)
        {
            throw new UsageException("pack takes one root directory.");
        }

        var output = options.Get("output") is { Length: > 0 } given ? given : throw new UsageException("The output file (-o) is required.");
        var packOptions = PackSupport.CreateOptions(options, allowNone: true);
        if (options.Get("exlist") is { } exlists)
        {
            var files = exlists.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(context.ResolvePath).ToList();
            packOptions.ExcludeList = await Exclusion.ExcludeList.LoadAsync(new System.IO.Abstractions.FileSystem(), files, cancellationToken);
        }

        var packer = new Packing.RamdiskPacker(loggerFactory: context.LoggerFactory);
        using var bar = new ConsoleProgressBar(context.Error, context.IsTerminal);
        var result = await packer.PackToFileAsync(context.ResolvePath(options.Positional[0]), context.ResolvePath(output), packOptions, bar, cancellationToken);
        bar.Dispose();
        await PackSupport.WriteSummaryAsync(context, result);
        return CliApplication.Success;
    }
}
