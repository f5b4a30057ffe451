using Xcat.Imaging.Catalog;
using Xcat.Imaging.Packing;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class PackimageVerb : IVerb
{
    public string Name => "packimage";

    public string Summary => "Pack an osimage's rootimg into rootimg.<method>.<suffix> in its rootimgdir.";

    public string Usage => "packimage <osimage> [-m cpio|tar] [-c gzip|pigz|xz|zstd] [--level N] [--threads N] [--lock-dir DIR]";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("osimage", "The osimage whose rootimg is packed.")
        .PackOptions(allowNone: false)
        .Value(null, "lock-dir", "DIR", "Where packimage's per-image lock lives. [default: $XCATIMG_LOCKDIR, else /var/lock/xcat as root, else a per-user temp directory]")
        .Flag('v', "verbose", "Log what is done on stderr.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Positional.Count != 1 || options.Positional[0].Length == 0)
        {
            throw new UsageException("An image name is required, use 'packimage <osimage name>'.");
        }

        var packOptions = PackSupport.CreateOptions(options, allowNone: false);
        // --lock-dir, else $XCATIMG_LOCKDIR, else xCAT's /var/lock/xcat as root (so xCAT's own packimage is excluded too),
        // else a per-user directory.
        var lockDir = options.Get("lock-dir") ?? context.GetEnvironmentVariable("XCATIMG_LOCKDIR");
        packOptions.LockDirectory = lockDir is not null ? context.ResolvePath(lockDir)
            : Environment.IsPrivilegedProcess ? packOptions.LockDirectory
            : Path.Combine(Path.GetTempPath(), $"xcatimg-locks-{Environment.UserName}");

        var catalog = await context.GetCatalogAsync(cancellationToken);
        var image = await catalog.FindImageAsync(options.Positional[0], cancellationToken)
            ?? throw new KeyNotFoundException($"Cannot find image '{options.Positional[0]}' from the osimage table.");
        var packer = new RamdiskPacker(loggerFactory: context.LoggerFactory);
        using var bar = new ConsoleProgressBar(context.Error, context.IsTerminal);
        var result = await packer.PackImageAsync(image, await context.GetSiteAsync(cancellationToken), packOptions, bar, cancellationToken);
        bar.Dispose();
        await PackSupport.WriteSummaryAsync(context, result);
        return CliApplication.Success;
    }
}
