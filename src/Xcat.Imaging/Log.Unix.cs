using Microsoft.Extensions.Logging;

namespace Xcat.Imaging;

/// <summary>Messages of the Unix metadata seam and the tree walker and extractor: event ids 5100-5199.</summary>
internal static partial class Log
{
    [LoggerMessage(5101, LogLevel.Information, "Walking {RootDirectory}")]
    internal static partial void TreeWalkStarted(ILogger logger, string rootDirectory);

    [LoggerMessage(5102, LogLevel.Debug, "Found {Groups} hard-link groups under {RootDirectory}")]
    internal static partial void TreeHardLinkGroups(ILogger logger, int groups, string rootDirectory);

    [LoggerMessage(5103, LogLevel.Debug, "Not entering {Path}: it is on another file system")]
    internal static partial void TreeOtherFileSystem(ILogger logger, string path);

    [LoggerMessage(5104, LogLevel.Information, "Walked {Count} entries under {RootDirectory}")]
    internal static partial void TreeWalkFinished(ILogger logger, long count, string rootDirectory);

    [LoggerMessage(5120, LogLevel.Information, "Extracting into {Destination}")]
    internal static partial void TreeExtractStarted(ILogger logger, string destination);

    [LoggerMessage(5121, LogLevel.Warning, "Skipped {Type} {Name}: {Reason}")]
    internal static partial void TreeSkippedSpecialFile(ILogger logger, Unix.UnixFileType type, string name, string reason);

    [LoggerMessage(5122, LogLevel.Warning, "Cannot restore owners under {Destination} ({Reason}); files keep the extracting user as owner")]
    internal static partial void TreeOwnersNotRestored(ILogger logger, string destination, string reason);

    [LoggerMessage(5123, LogLevel.Warning, "Cannot restore extended attributes under {Destination} ({Reason}); they are left out")]
    internal static partial void TreeAttributesNotRestored(ILogger logger, string destination, string reason);

    [LoggerMessage(5124, LogLevel.Debug, "Replaced the existing {Path}")]
    internal static partial void TreeReplaced(ILogger logger, string path);

    [LoggerMessage(5125, LogLevel.Trace, "Extracted {Type} {Name}")]
    internal static partial void TreeExtracted(ILogger logger, Unix.UnixFileType type, string name);

    [LoggerMessage(5127, LogLevel.Warning, "Cannot set the extended attribute {Attribute} on the {Type} {Name} ({Reason}); it is left out, as GNU tar does")]
    internal static partial void TreeAttributeRefused(ILogger logger, string attribute, Unix.UnixFileType type, string name, string reason);

    [LoggerMessage(5126, LogLevel.Information, "Extracted {Entries} entries ({Bytes} bytes) into {Destination}; skipped {Skipped} special files")]
    internal static partial void TreeExtractFinished(ILogger logger, long entries, long bytes, string destination, long skipped);
}
