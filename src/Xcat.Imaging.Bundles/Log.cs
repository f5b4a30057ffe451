using Microsoft.Extensions.Logging;

namespace Xcat.Imaging.Bundles;

/// <summary>Every log message of the bundles assembly (event ids 2xxx, as the style study assigns).</summary>
internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Debug, "Added {SourcePath} as {EntryName} ({Length} bytes, stored without recompression: {Stored})")]
    internal static partial void FileAdded(ILogger logger, string sourcePath, string entryName, long length, bool stored);

    [LoggerMessage(2101, LogLevel.Information, "Extracted bundle into {Directory}: {Entries} members, {Bytes} bytes, {Images} images")]
    internal static partial void BundleExtracted(ILogger logger, string directory, long entries, long bytes, int images);

    [LoggerMessage(2102, LogLevel.Information, "Verified {Count} checksums of image directory {DirectoryName}")]
    internal static partial void ChecksumsVerified(ILogger logger, string directoryName, int count);

    [LoggerMessage(2201, LogLevel.Information, "Exported image {ImageName} to {BundlePath}: {Entries} members, {Bytes} source bytes")]
    internal static partial void Exported(ILogger logger, string imageName, string bundlePath, long entries, long bytes);

    [LoggerMessage(2301, LogLevel.Debug, "Planned the import of {ImageName}: {Files} paths to place")]
    internal static partial void Planned(ILogger logger, string imageName, int files);

    [LoggerMessage(2302, LogLevel.Information, "Imported image {ImageName}: {Files} paths placed, checksums verified: {Verified}")]
    internal static partial void Imported(ILogger logger, string imageName, int files, bool verified);

    [LoggerMessage(2303, LogLevel.Error, "The import could not be fully rolled back: {Failures}")]
    internal static partial void RollbackIncomplete(ILogger logger, string failures);

    [LoggerMessage(2304, LogLevel.Warning, "Could not remove the staging directory {Directory}: {Reason}")]
    internal static partial void StagingLeft(ILogger logger, string directory, string reason);

    [LoggerMessage(2305, LogLevel.Warning, "Removing {Directory}, left behind by an import that no longer holds its lock")]
    internal static partial void StagingAbandoned(ILogger logger, string directory);
}
