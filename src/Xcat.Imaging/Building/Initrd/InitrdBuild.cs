using System.IO.Abstractions;
using Xcat.Imaging.Building.Execution;

namespace Xcat.Imaging.Building.Initrd;

/// <summary>The steps both generators share: the checks, the driver list, installing scripts, running the tool and
/// placing its output (xCAT's genimage: <c>chroot rootimg &lt;tool&gt; ... /tmp/initrd.&lt;pid&gt;.gz</c>, then moved).</summary>
internal static class InitrdBuild
{
    internal const string OutputName = "initrd-stateless.gz";

    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Readable = (UnixFileMode)0b110_100_100;

    /// <summary>Refuses what is not built and checks the context.</summary>
    internal static void Validate(InitrdBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == InitrdKind.Statelite)
        {
            throw new NotSupportedException("Statelite initrds are not built: Xcat.Imaging builds initrd-stateless.gz only (no NFS root, no litefile overlay).");
        }

        ArgumentException.ThrowIfNullOrEmpty(context.RootDirectory);
        ArgumentException.ThrowIfNullOrEmpty(context.OutputDirectory);
        ArgumentException.ThrowIfNullOrEmpty(context.KernelVersion);
        if (context.KernelVersion.Contains('/', StringComparison.Ordinal) || context.KernelVersion is "." or "..")
        {
            throw new ArgumentException($"The kernel version '{context.KernelVersion}' is not a single path component.", nameof(context));
        }
    }

    /// <summary>Runs depmod for the kernel (as genimage does first) and resolves the drivers against its modules.dep.</summary>
    internal static async Task<NetworkDriverList> ResolveDriversAsync(InitrdBuildContext context, CancellationToken cancellationToken)
    {
        var fs = context.FileSystem;
        var moduleDirectory = fs.Path.Combine(context.RootDirectory, "lib", "modules", context.KernelVersion);
        if (!context.Runner.IsDryRun && !fs.Directory.Exists(moduleDirectory))
        {
            throw new InvalidOperationException($"The image has no modules for kernel {context.KernelVersion}: {moduleDirectory} does not exist.");
        }

        await context.Runner.RunAsync(Chrooted(context, "depmod", [context.KernelVersion], $"depmod failed for kernel {context.KernelVersion}"), cancellationToken).ConfigureAwait(false);
        var depFile = fs.Path.Combine(moduleDirectory, "modules.dep");
        var dep = fs.File.Exists(depFile) ? await fs.File.ReadAllTextAsync(depFile, cancellationToken).ConfigureAwait(false) : string.Empty;
        var drivers = NetworkDriverList.Resolve(context.NetworkDrivers, context.Architecture, dep);
        foreach (var missing in drivers.Missing)
        {
            Log.InitrdDriverMissing(context.Logger, missing, context.KernelVersion);
        }

        Log.InitrdDrivers(context.Logger, string.Join(' ', drivers.Modules));
        return drivers;
    }

    /// <summary>Writes one file into the root (a script executable), its directory created.</summary>
    internal static async Task WriteAsync(InitrdBuildContext context, string pathInRoot, string contents, bool executable, CancellationToken cancellationToken)
    {
        var fs = context.FileSystem;
        var path = HostPath(context, pathInRoot);
        if (!context.Runner.IsDryRun)
        {
            fs.Directory.CreateDirectory(fs.Path.GetDirectoryName(path)!);
        }

        await context.Runner.WriteFileAsync(path, contents, cancellationToken).ConfigureAwait(false);
        if (!context.Runner.IsDryRun)
        {
            SetMode(fs, path, executable ? Executable : Readable);
        }
    }

    /// <summary>Reads a file of the root, or <see langword="null"/> when it does not exist.</summary>
    internal static string? ReadIfExists(InitrdBuildContext context, string pathInRoot)
    {
        var path = HostPath(context, pathInRoot);
        return context.FileSystem.File.Exists(path) ? context.FileSystem.File.ReadAllText(path) : null;
    }

    /// <summary>Runs the tool, which writes <c>/tmp/&lt;name&gt;</c> inside the root, and moves that file to
    /// <c>&lt;rootimgdir&gt;/initrd-stateless.gz</c> through a temp file beside it and a rename.</summary>
    internal static async Task<string> BuildAndPlaceAsync(InitrdBuildContext context, string generator,
        Func<string, BuildCommand> command, CancellationToken cancellationToken)
    {
        var fs = context.FileSystem;
        var target = fs.Path.Combine(context.OutputDirectory, OutputName);
        var name = $"xcatimg-initrd-{Guid.NewGuid():N}.gz";
        var produced = HostPath(context, "tmp/" + name);
        try
        {
            await context.Runner.RunAsync(command("/tmp/" + name), cancellationToken).ConfigureAwait(false);
            if (context.Runner.IsDryRun)
            {
                return target;
            }

            if (!fs.File.Exists(produced))
            {
                throw new InvalidOperationException($"Failed to generate the initial ramdisk for stateless: {generator} exited 0 but wrote no /tmp/{name} in the image.");
            }

            fs.Directory.CreateDirectory(context.OutputDirectory);
            // A dot-name beside the target: same file system, so the rename is atomic and a node never fetches half an initrd.
            var temp = fs.Path.Combine(context.OutputDirectory, $".{OutputName}.tmp-{Guid.NewGuid():N}");
            try
            {
                fs.File.Move(produced, temp);
                SetMode(fs, temp, Readable);
                fs.File.Move(temp, target, overwrite: true);
            }
            finally
            {
                if (fs.File.Exists(temp))
                {
                    fs.File.Delete(temp);
                }
            }

            Log.InitrdWritten(context.Logger, target, fs.FileInfo.New(target).Length);
            return target;
        }
        finally
        {
            if (!context.Runner.IsDryRun && fs.File.Exists(produced))
            {
                fs.File.Delete(produced);
            }
        }
    }

    /// <summary>A command run chrooted into the root.</summary>
    internal static BuildCommand Chrooted(InitrdBuildContext context, string program, IReadOnlyList<string> arguments, string failure) =>
        new(program, arguments) { Root = context.RootDirectory, Chroot = true, FailureMessage = failure };

    private static void SetMode(IFileSystem fs, string path, UnixFileMode mode)
    {
        // Image roots and initramfs tools exist only on Linux; a root with no Unix modes could not boot anyway.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Initrds are built on Linux only.");
        }

        fs.File.SetUnixFileMode(path, mode);
    }

    private static string HostPath(InitrdBuildContext context, string pathInRoot) =>
        context.FileSystem.Path.Combine([context.RootDirectory, .. pathInRoot.Split('/', StringSplitOptions.RemoveEmptyEntries)]);
}
