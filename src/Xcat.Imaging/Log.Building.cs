using Microsoft.Extensions.Logging;

namespace Xcat.Imaging;

/// <summary>The image builder's log messages (3xxx).</summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Information, "Running: {CommandLine}")]
    internal static partial void BuildCommandRunning(ILogger logger, string commandLine);

    [LoggerMessage(3002, LogLevel.Debug, "Querying: {CommandLine}")]
    internal static partial void BuildCommandQuerying(ILogger logger, string commandLine);

    [LoggerMessage(3003, LogLevel.Information, "Writing {Path}")]
    internal static partial void BuildFileWriting(ILogger logger, string path);

    [LoggerMessage(3004, LogLevel.Information, "{Program}: {Line}")]
    internal static partial void BuildCommandOutput(ILogger logger, string program, string line);

    [LoggerMessage(3010, LogLevel.Information, "genimage {Image}: {Phase}")]
    internal static partial void BuildPhase(ILogger logger, string image, string phase);

    [LoggerMessage(3011, LogLevel.Information, "genimage {Image}: built for kernel {KernelVersion} in {RootImageDirectory}")]
    internal static partial void BuildFinished(ILogger logger, string image, string kernelVersion, string rootImageDirectory);

    [LoggerMessage(3012, LogLevel.Warning, "Could not remove the unfinished build {Staging}: {Reason}")]
    internal static partial void BuildCleanupFailed(ILogger logger, string staging, string reason);
}
