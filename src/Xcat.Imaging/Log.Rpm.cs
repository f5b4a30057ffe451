using Microsoft.Extensions.Logging;

namespace Xcat.Imaging;

/// <summary>Messages of the RPM package installers (dnf, yum, zypper): event ids 3200-3299.</summary>
internal static partial class Log
{
    [LoggerMessage(3201, LogLevel.Information, "{Installer}: {Step} of {List} pass {Pass}")]
    internal static partial void RpmPass(ILogger logger, string installer, string step, string list, int pass);

    [LoggerMessage(3202, LogLevel.Warning, "{Installer}: removing {Packages} failed, continuing as genimage does: {Reason}")]
    internal static partial void RpmRemoveFailed(ILogger logger, string installer, string packages, string reason);

    [LoggerMessage(3203, LogLevel.Warning, "{Installer}: updating the otherpkgs failed, continuing as genimage does: {Reason}")]
    internal static partial void RpmUpdateFailed(ILogger logger, string installer, string reason);

    [LoggerMessage(3204, LogLevel.Warning, "pkgdir entry {Directory} holds no repodata directory; run createrepo there")]
    internal static partial void RpmPackageDirectoryWithoutRepodata(ILogger logger, string directory);

    [LoggerMessage(3205, LogLevel.Information, "The host's rpm keeps its database in {HostPath}; the image's goes to {ImagePath}")]
    internal static partial void RpmDatabasePathOverridden(ILogger logger, string hostPath, string imagePath);

    [LoggerMessage(3206, LogLevel.Information, "{Installer}: using {Program} with {Count} repositories")]
    internal static partial void RpmInstallerStarted(ILogger logger, string installer, string program, int count);
}
