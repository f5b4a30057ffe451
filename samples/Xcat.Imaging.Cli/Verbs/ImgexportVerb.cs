using System.Globalization;
using Xcat.Imaging.Bundles;
using Xcat.Imaging.Bundles.Manifest;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class ImgexportVerb : IVerb
{
    public string Name => "imgexport";

    public string Summary => "Export an osimage and its files into an xCAT-compatible bundle (.tgz).";

    public string Usage => "imgexport <image> [destination] [-e|--extra src[:dest]]... [-p|--postscripts node] [--with-rootimg-tree] [--threads N] [-v]";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("image [destination]", "The osimage, and the bundle file or a directory for it. [default: ./<image>.tgz]")
        .Value('e', "extra", "src[:dest]", "Also ship this file or directory, placed at dest on import (repeatable).")
        .Value('p', "postscripts", "node", "Ship the postscripts this node runs.")
        .Flag(null, "with-rootimg-tree", "Ship the rootimg directory tree too, not only the packed archive.")
        .Value(null, "threads", "N", $"gzip threads, 1 to {Compression.CompressionOptions.MaximumThreads}. [default: the processor count]")
        .Value('R', "remotehost", "host", "Not supported: export here and copy the bundle.")
        .Flag('v', "verbose", "List the bundled files.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Has("remotehost"))
        {
            throw new NotSupportedException("Remote export (-R) is not supported; export locally and copy the bundle with scp.");
        }

        if (options.Positional.Count is < 1 or > 2)
        {
            throw new UsageException("An image name and at most one destination are expected.");
        }

        var imageName = options.Positional[0];
        if (imageName.Length == 0 || (options.Positional.Count > 1 && options.Positional[1].Length == 0))
        {
            throw new UsageException(imageName.Length == 0 ? "The image name is empty." : "The destination is empty.");
        }
        var exportOptions = new ImageExportOptions
        {
            PostScriptsNode = options.Get("postscripts"),
            IncludeRootImageTree = options.Has("with-rootimg-tree"),
        };
        if (options.Get("threads") is { } threads)
        {
            var maximum = Compression.CompressionOptions.MaximumThreads;
            exportOptions.Writer.Compression.Threads = int.TryParse(threads, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 && n <= maximum
                ? n
                : throw new UsageException($"The option '--threads' needs a whole number from 1 to {maximum}, not '{threads}'.");
        }

        foreach (var extra in options.GetAll("extra"))
        {
            exportOptions.Extras.Add(ParseExtra(extra, context));
        }

        // xCAT writes <cwd>/<basename(destination)>; the whole destination path is honoured here, and a directory
        // receives <image>.tgz as cp would.
        var bundleName = imageName.Replace(' ', '_') + ".tgz";
        var destination = context.ResolvePath(options.Positional.Count > 1 ? options.Positional[1] : bundleName);
        if (Directory.Exists(destination))
        {
            destination = Path.Combine(destination, bundleName);
        }

        await context.Out.WriteAsync($"Exporting {imageName} to {Path.GetDirectoryName(destination)}...\n");
        var catalog = await context.GetCatalogAsync(cancellationToken);
        var exporter = new ImageExporter(catalog, await context.GetSiteAsync(cancellationToken), loggerFactory: context.LoggerFactory);
        await context.Out.WriteAsync($"Compressing {imageName} bundle.  Please be patient.\n");
        using var bar = new ConsoleProgressBar(context.Error, context.IsTerminal);
        var result = await exporter.ExportAsync(imageName, destination, exportOptions, bar, cancellationToken);
        bar.Dispose();
        foreach (var message in result.Messages)
        {
            await context.Out.WriteAsync(message + "\n");
        }

        if (options.Has("verbose"))
        {
            foreach (var file in result.Files)
            {
                await context.Out.WriteAsync($"  {file}\n");
            }
        }

        await context.Out.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $"{result.Entries} members, {ConsoleProgressBar.FormatBytes(result.Bytes)} of files, in {result.BundlePath}\n"));
        await context.Out.WriteAsync("Done!\n");
        return CliApplication.Success;
    }

    /// <summary>xCAT's imgexport (xCAT-server/lib/xcat/plugins/imgport.pm) splits <c>-e</c> on ':'; a source that exists whole (with a ':' in it) is taken as is.</summary>
    private static BundleExtra ParseExtra(string value, CliContext context)
    {
        if (value.Length == 0 || value[0] == ':')
        {
            throw new UsageException($"-e needs a source path, as in -e /tmp/mydir:/install/mydir; got '{value}'.");
        }

        var whole = context.ResolvePath(value);
        if (File.Exists(whole) || Directory.Exists(whole))
        {
            return new BundleExtra(whole, string.Empty);
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? new BundleExtra(whole, string.Empty)
            : new BundleExtra(context.ResolvePath(value[..colon]), value[(colon + 1)..]);
    }
}
