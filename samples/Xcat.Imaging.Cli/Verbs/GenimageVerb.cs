using System.Globalization;
using Xcat.Imaging.Building;
using Xcat.Imaging.Catalog;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class GenimageVerb : IVerb
{
    public string Name => "genimage";

    public string Summary => "Build an osimage's rootimg, kernel and initrd-stateless.gz in its rootimgdir.";

    public string Usage => "genimage <osimage> [--dryrun] [--onlyinitrd] [-n drivers] [-k kernelver] [-i nodebootif] [-r otherifaces] [--noupdate] " +
                           "[--initrd auto|dracut|initramfs-tools] [--cache-dir DIR] [--lock-dir DIR] [--allow-outside-installdir] [-v]";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("osimage", "The osimage to build (provmethod netboot).")
        .Flag(null, "dryrun", "Print the commands and files of the build on stdout; nothing is run or changed.")
        .Flag(null, "onlyinitrd", "Make only the kernel and initrd again, from the existing rootimg.")
        .Value('n', "netdrivers", "drivers", "The initrd's network drivers, comma-separated; written back to netdrivers. [default: the image's netdrivers]")
        .Value('k', "kernelver", "kernelver", "The kernel version; written back to kernelver. [default: the image's kernelver, else the newest kernel in the image]")
        .Value('i', "nodebootif", "nodebootif", "The node's boot interface; written back to nodebootif.")
        .Value('r', "otherifce", "otherifaces", "The other interfaces, comma-separated; written back to otherifce.")
        .Flag(null, "noupdate", "Do not update the otherpkgs that are installed already.")
        .Value(null, "initrd", "tool", "The tool that makes the initrd.", defaultValue: "auto", accepted: ["auto", "dracut", "initramfs-tools"])
        .Value(null, "cache-dir", "DIR", "The package cache, kept outside the rootimg. " +
            $"[default: $XCATIMG_CACHEDIR, else {RootImageBuildOptions.DefaultCacheDirectory} as root, else a per-user temp directory]")
        .Value(null, "lock-dir", "DIR", "Where the per-image lock shared with packimage lives. [default: $XCATIMG_LOCKDIR, else /var/lock/xcat as root, else a per-user temp directory]")
        .Flag(null, "allow-outside-installdir", "Build an image whose rootimgdir is outside the install directory.")
        // xCAT's genimage takes these to define an image on the fly; with an image name it refuses them (genimage.pm).
        .Value('o', "osver", "osver", "xCAT's image-less genimage; not allowed with an image name.")
        .Value('p', "profile", "profile", "xCAT's image-less genimage; not allowed with an image name.")
        .Value('a', "arch", "arch", "xCAT's image-less genimage; not allowed with an image name.")
        .Flag('v', "verbose", "Log the build's commands and their tools' output on stderr.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Positional.Count != 1 || options.Positional[0].Length == 0)
        {
            throw new UsageException(options.Positional.Count > 1
                ? "genimage takes one image name."
                : "An image name is required, use 'genimage <osimage name>'; this genimage does not define images from -o, -p and -a.");
        }

        if (options.Has("osver") || options.Has("profile") || options.Has("arch"))
        {
            throw new UsageException("-o, -p and -a options are not allowed when a image name is specified.");
        }

        var name = options.Positional[0];
        var buildOptions = new RootImageBuildOptions
        {
            DryRun = options.Has("dryrun"),
            OnlyInitrd = options.Has("onlyinitrd"),
            NetDrivers = options.Get("netdrivers") is { } drivers
                ? drivers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : null,
            KernelVersion = NonEmpty(options.Get("kernelver")),
            NodeBootInterface = NonEmpty(options.Get("nodebootif")),
            OtherInterfaces = NonEmpty(options.Get("otherifce")),
            NoUpdate = options.Has("noupdate"),
            InitrdTool = options.Get("initrd") switch
            {
                "dracut" => InitrdTool.Dracut,
                "initramfs-tools" => InitrdTool.InitramfsTools,
                _ => InitrdTool.Automatic,
            },
            AllowOutsideInstallDirectory = options.Has("allow-outside-installdir"),
        };

        // As packimage: --lock-dir, else $XCATIMG_LOCKDIR, else xCAT's /var/lock/xcat as root, else a per-user directory.
        var lockDir = options.Get("lock-dir") ?? context.GetEnvironmentVariable("XCATIMG_LOCKDIR");
        buildOptions.LockDirectory = lockDir is not null ? context.ResolvePath(lockDir)
            : Environment.IsPrivilegedProcess ? buildOptions.LockDirectory
            : Path.Combine(Path.GetTempPath(), $"xcatimg-locks-{Environment.UserName}");
        var cacheDir = options.Get("cache-dir") ?? NonEmpty(context.GetEnvironmentVariable("XCATIMG_CACHEDIR"));
        buildOptions.CacheDirectory = cacheDir is not null ? context.ResolvePath(cacheDir)
            : Environment.IsPrivilegedProcess ? RootImageBuildOptions.DefaultCacheDirectory
            : Path.Combine(Path.GetTempPath(), $"xcatimg-cache-{Environment.UserName}");

        var catalog = await context.GetCatalogAsync(cancellationToken);
        var image = await catalog.FindImageAsync(name, cancellationToken)
            ?? throw new KeyNotFoundException($"Cannot find image '{name}' from the osimage table.");
        // BuildAsync, not BuildImageAsync: the site is the CLI's, with --install-dir or $XCATIMG_INSTALLDIR applied.
        var site = await context.GetSiteAsync(cancellationToken);
        var builder = new RootImageBuilder(loggerFactory: context.LoggerFactory);
        RootImageBuildResult result;
        // A dry run's phases are in its plan; a real build shows them as they start (as lines under -v, between the log's).
        using (var progress = new PhaseProgress(context.Error, image.Name, context.IsTerminal && !options.Has("verbose"), enabled: !buildOptions.DryRun))
        {
            result = await builder.BuildAsync(image, site, buildOptions, progress, cancellationToken);
        }

        if (result.WrittenBack.Count > 0)
        {
            await catalog.SaveImageAsync(result.Image, CancellationToken.None);
        }

        if (buildOptions.DryRun)
        {
            await WritePlanAsync(context, image.Name, result);
        }
        else
        {
            await WriteSummaryAsync(context, image.Name, result);
        }

        return CliApplication.Success;
    }

    private static async Task WritePlanAsync(CliContext context, string image, RootImageBuildResult result)
    {
        await context.Out.WriteAsync($"# genimage {DisplayText.Escape(image)} --dryrun: {result.Plan.Count} steps; nothing was run or changed.\n");
        foreach (var step in result.Plan)
        {
            foreach (var line in step.ToString().Split('\n'))
            {
                await context.Out.WriteAsync(DisplayText.EscapeControlCharacters(line) + "\n");
            }
        }
    }

    private static async Task WriteSummaryAsync(CliContext context, string image, RootImageBuildResult result)
    {
        await context.Out.WriteAsync($"genimage {DisplayText.Escape(image)}: built in {DisplayText.Escape(result.RootImageDirectory)}\n");
        await context.Out.WriteAsync($"kernel version {DisplayText.Escape(result.KernelVersion ?? "unknown")}\n");
        foreach (var file in result.Files)
        {
            await context.Out.WriteAsync($"Wrote {DisplayText.Escape(file)}\n");
        }

        foreach (var (column, value) in result.WrittenBack.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            await context.Out.WriteAsync($"linuximage.{column}={DisplayText.Escape(value)}\n");
        }

        var durations = RootImageBuildPhases.All
            .Where(result.PhaseDurations.ContainsKey)
            .Select(phase => string.Create(CultureInfo.InvariantCulture, $"{phase} {result.PhaseDurations[phase].TotalSeconds:0.0}s"));
        await context.Out.WriteAsync($"phases: {string.Join(", ", durations)}\n");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>"genimage IMAGE: PHASE (i/5)": redrawn in place on a terminal, a line per phase otherwise.</summary>
    private sealed class PhaseProgress(TextWriter error, string image, bool terminal, bool enabled) : IProgress<ImagingProgress>, IDisposable
    {
        private readonly Lock _gate = new();
        private bool _drawn;

        public void Report(ImagingProgress value)
        {
            if (!enabled || value.Stage != ImagingStages.Build)
            {
                return;
            }

            var line = string.Create(CultureInfo.InvariantCulture,
                $"genimage {DisplayText.Escape(image)}: {value.CurrentPath} ({value.ItemsDone + 1}/{value.ItemsTotal ?? RootImageBuildPhases.All.Count})");
            lock (_gate)
            {
                if (terminal)
                {
                    error.Write("\r" + line.PadRight(100));
                    _drawn = true;
                }
                else
                {
                    error.Write(line + "\n");
                }
            }
        }

        public void Dispose()
        {
            if (_drawn)
            {
                error.Write("\r" + new string(' ', 100) + "\r");
            }
        }
    }
}
