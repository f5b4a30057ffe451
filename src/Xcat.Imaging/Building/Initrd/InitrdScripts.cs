using System.Reflection;

namespace Xcat.Imaging.Building.Initrd;

/// <summary>The boot scripts shipped in the assembly (Building/Initrd/Scripts): one fetch-and-unpack script shared by
/// the dracut module and the initramfs-tools method, and each tool's small glue.</summary>
internal static class InitrdScripts
{
    /// <summary>The shared script: DHCP (for dracut), tmpfs, streamed fetch, sha256 check, unpack, retries.</summary>
    internal const string FetchAndUnpack = "xcatimg-root.sh";

    internal const string DracutModuleSetup = "dracut-module-setup.sh";
    internal const string DracutCmdline = "dracut-cmdline.sh";
    internal const string DracutJob = "dracut-job.sh";
    internal const string InitramfsHook = "initramfs-hook.sh";
    internal const string InitramfsInitTop = "initramfs-init-top.sh";
    internal const string InitramfsBoot = "initramfs-boot.sh";

    /// <summary>Returns a script's text.</summary>
    /// <param name="name">One of the constants.</param>
    /// <returns>The script.</returns>
    internal static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Xcat.Imaging.Initrd." + name)
            ?? throw new InvalidOperationException($"The initrd script {name} is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
