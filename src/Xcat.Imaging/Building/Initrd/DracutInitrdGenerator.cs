using System.Globalization;
using System.Text;

namespace Xcat.Imaging.Building.Initrd;

/// <summary>
/// Builds the initrd with the image's dracut: installs the module <c>98xcatimg</c> (a cmdline hook that makes
/// <c>imgurl=</c> the root, and an initqueue job that does DHCP and the fetch), writes
/// <c>etc/dracut.conf.d/98xcatimg.conf</c> (the module and the drivers) and runs
/// <c>dracut --force --no-hostonly --gzip /tmp/&lt;name&gt; &lt;kernel&gt;</c> chrooted.
/// </summary>
/// <remarks>xCAT installs <c>modules.d/98xcat</c> and overwrites <c>etc/dracut.conf</c> (netboot/rh/genimage); a
/// drop-in leaves the image's own dracut configuration alone.</remarks>
public sealed class DracutInitrdGenerator : IInitrdGenerator
{
    /// <summary>The module's directory name under <c>modules.d</c>.</summary>
    public const string ModuleDirectoryName = "98xcatimg";

    /// <inheritdoc />
    public string Name => "dracut";

    /// <inheritdoc />
    public async Task<string> GenerateAsync(InitrdBuildContext context, CancellationToken cancellationToken = default)
    {
        InitrdBuild.Validate(context);
        Log.InitrdStarted(context.Logger, context.RootDirectory, context.KernelVersion, Name);
        var drivers = await InitrdBuild.ResolveDriversAsync(context, cancellationToken).ConfigureAwait(false);

        // Newer dracut lives in /usr/lib/dracut, old releases in /usr/share/dracut (genimage checks both).
        var dracutDirectory = context.FileSystem.Directory.Exists(context.FileSystem.Path.Combine(context.RootDirectory, "usr", "share", "dracut"))
            && !context.FileSystem.Directory.Exists(context.FileSystem.Path.Combine(context.RootDirectory, "usr", "lib", "dracut"))
            ? "usr/share/dracut" : "usr/lib/dracut";
        var module = $"{dracutDirectory}/modules.d/{ModuleDirectoryName}/";
        await InitrdBuild.WriteAsync(context, module + "module-setup.sh", InitrdScripts.Read(InitrdScripts.DracutModuleSetup), true, cancellationToken).ConfigureAwait(false);
        await InitrdBuild.WriteAsync(context, module + "xcatimg-root.sh", InitrdScripts.Read(InitrdScripts.FetchAndUnpack), true, cancellationToken).ConfigureAwait(false);
        await InitrdBuild.WriteAsync(context, module + "xcatimg-cmdline.sh", InitrdScripts.Read(InitrdScripts.DracutCmdline), true, cancellationToken).ConfigureAwait(false);
        await InitrdBuild.WriteAsync(context, module + "xcatimg-dracut.sh", InitrdScripts.Read(InitrdScripts.DracutJob), true, cancellationToken).ConfigureAwait(false);
        if (context.RootLimit is { } limit)
        {
            await InitrdBuild.WriteAsync(context, module + "xcatimg.conf", RootLimitConfiguration(limit), false, cancellationToken).ConfigureAwait(false);
        }

        var configuration = new StringBuilder()
            .AppendLine("# Written by Xcat.Imaging genimage: the diskless boot module and the network drivers (-n, netdrivers).")
            .AppendLine(CultureInfo.InvariantCulture, $"add_dracutmodules+=\" xcatimg \"")
            .AppendLine(CultureInfo.InvariantCulture, $"add_drivers+=\" {string.Join(' ', drivers.Modules)} \"")
            .ToString();
        await InitrdBuild.WriteAsync(context, "etc/dracut.conf.d/98xcatimg.conf", configuration, false, cancellationToken).ConfigureAwait(false);

        return await InitrdBuild.BuildAndPlaceAsync(context, Name, output => InitrdBuild.Chrooted(context, "dracut",
            ["--force", "--no-hostonly", "--gzip", output, context.KernelVersion],
            "Failed to generate the initial ramdisk for stateless (dracut)"), cancellationToken).ConfigureAwait(false);
    }

    internal static string RootLimitConfiguration(string limit)
    {
        // The value lands in a shell file the initrd sources: only a size (digits and a unit or %) is accepted.
        if (limit.Length == 0 || !limit.All(static c => char.IsAsciiLetterOrDigit(c) || c == '%'))
        {
            throw new ArgumentException($"The root limit '{limit}' is not a tmpfs size such as 4g or 50%.", nameof(limit));
        }

        return $"XCATIMG_ROOTLIMIT={limit}\n";
    }
}
