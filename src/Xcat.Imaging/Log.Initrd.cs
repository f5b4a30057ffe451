using Microsoft.Extensions.Logging;

namespace Xcat.Imaging;

/// <summary>Messages of the initrd generators (Building/Initrd): event ids 3300-3399.</summary>
internal static partial class Log
{
    [LoggerMessage(3301, LogLevel.Information, "Building the stateless initrd of {RootDirectory} for kernel {KernelVersion} with {Generator}")]
    internal static partial void InitrdStarted(ILogger logger, string rootDirectory, string kernelVersion, string generator);

    [LoggerMessage(3302, LogLevel.Debug, "Left out network driver {Driver}: kernel {KernelVersion} has no such module")]
    internal static partial void InitrdDriverMissing(ILogger logger, string driver, string kernelVersion);

    [LoggerMessage(3303, LogLevel.Information, "Initrd network drivers: {Drivers}")]
    internal static partial void InitrdDrivers(ILogger logger, string drivers);

    [LoggerMessage(3304, LogLevel.Information, "Wrote {Path} ({Bytes} bytes)")]
    internal static partial void InitrdWritten(ILogger logger, string path, long bytes);
}
