using System.Text;

namespace Xcat.Imaging.Building.Initrd;

/// <summary>
/// Builds the initrd with the image's initramfs-tools (Debian, Ubuntu): installs the boot method
/// <c>etc/initramfs-tools/scripts/xcatimg</c> (selected by an init-top script when <c>imgurl=</c> is given), a hook
/// that copies the tools it streams through, the drivers into <c>etc/initramfs-tools/modules</c>, and runs
/// <c>mkinitramfs -c gzip -o /tmp/&lt;name&gt; &lt;kernel&gt;</c> chrooted.
/// </summary>
/// <remarks>xCAT's Ubuntu genimage builds the initrd with dracut too; images without dracut get this instead.</remarks>
public sealed class InitramfsToolsInitrdGenerator : IInitrdGenerator
{
    private const string ModulesBegin = "# >>> Xcat.Imaging genimage network drivers (-n, netdrivers)";
    private const string ModulesEnd = "# <<< Xcat.Imaging genimage network drivers";

    /// <inheritdoc />
    public string Name => "initramfs-tools";

    /// <inheritdoc />
    public async Task<string> GenerateAsync(InitrdBuildContext context, CancellationToken cancellationToken = default)
    {
        InitrdBuild.Validate(context);
        Log.InitrdStarted(context.Logger, context.RootDirectory, context.KernelVersion, Name);
        var drivers = await InitrdBuild.ResolveDriversAsync(context, cancellationToken).ConfigureAwait(false);

        const string conf = "etc/initramfs-tools/";
        await InitrdBuild.WriteAsync(context, conf + "scripts/xcatimg", InitrdScripts.Read(InitrdScripts.InitramfsBoot), false, cancellationToken).ConfigureAwait(false);
        // mkinitramfs copies etc/initramfs-tools/scripts/* into the initrd's /scripts: the shared script rides along.
        await InitrdBuild.WriteAsync(context, conf + "scripts/xcatimg-root", InitrdScripts.Read(InitrdScripts.FetchAndUnpack), true, cancellationToken).ConfigureAwait(false);
        await InitrdBuild.WriteAsync(context, conf + "scripts/init-top/xcatimg", InitrdScripts.Read(InitrdScripts.InitramfsInitTop), true, cancellationToken).ConfigureAwait(false);
        await InitrdBuild.WriteAsync(context, conf + "hooks/xcatimg", InitrdScripts.Read(InitrdScripts.InitramfsHook), true, cancellationToken).ConfigureAwait(false);
        if (context.RootLimit is { } limit)
        {
            await InitrdBuild.WriteAsync(context, conf + "xcatimg.conf", DracutInitrdGenerator.RootLimitConfiguration(limit), false, cancellationToken).ConfigureAwait(false);
        }

        var modules = WithDrivers(InitrdBuild.ReadIfExists(context, conf + "modules"), drivers.Modules);
        await InitrdBuild.WriteAsync(context, conf + "modules", modules, false, cancellationToken).ConfigureAwait(false);

        return await InitrdBuild.BuildAndPlaceAsync(context, Name, output => InitrdBuild.Chrooted(context, "mkinitramfs",
            ["-c", "gzip", "-o", output, context.KernelVersion],
            "Failed to generate the initial ramdisk for stateless (mkinitramfs)"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The image's modules file with our block (between markers) replaced, so a rebuild does not stack copies.</summary>
    internal static string WithDrivers(string? existing, IReadOnlyList<string> drivers)
    {
        var text = new StringBuilder();
        var inside = false;
        foreach (var line in (existing ?? string.Empty).Split('\n'))
        {
            if (line == ModulesBegin)
            {
                inside = true;
            }
            else if (line == ModulesEnd)
            {
                inside = false;
            }
            else if (!inside)
            {
                text.Append(line).Append('\n');
            }
        }

        var kept = text.ToString().TrimEnd('\n');
        var block = new StringBuilder();
        if (kept.Length > 0)
        {
            block.Append(kept).Append('\n');
        }

        block.Append(ModulesBegin).Append('\n');
        foreach (var driver in drivers)
        {
            block.Append(driver).Append('\n');
        }

        return block.Append(ModulesEnd).Append('\n').ToString();
    }
}
