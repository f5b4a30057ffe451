using Microsoft.Extensions.Logging;

namespace Xcat.Imaging;

/// <summary>
/// Every log message of the assembly. Event ids: 1xxx packer, 2xxx bundles, 3xxx builder, 4xxx catalog and objects,
/// 5xxx cpio and trees.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Seeded catalog {DatabasePath} with {Count} default rows")]
    internal static partial void CatalogSeeded(ILogger logger, string databasePath, int count);

    [LoggerMessage(4002, LogLevel.Debug, "Committed {Count} changes to catalog {DatabasePath}")]
    internal static partial void CatalogChanged(ILogger logger, string databasePath, int count);

    [LoggerMessage(4003, LogLevel.Information, "Restored {Count} rows into table {Table}")]
    internal static partial void TableRestored(ILogger logger, string table, int count);

    [LoggerMessage(4005, LogLevel.Warning, "{Message}")]
    internal static partial void ObjectWarning(ILogger logger, string message);

    [LoggerMessage(4006, LogLevel.Information, "{Verb}: {Count} rows changed")]
    internal static partial void RowsChanged(ILogger logger, string verb, int count);

    [LoggerMessage(4004, LogLevel.Information, "{Verb}: {Count} {ObjectType} definitions changed")]
    internal static partial void ObjectsChanged(ILogger logger, string verb, int count, string objectType);

    [LoggerMessage(1001, LogLevel.Information, "Packing contents of {RootDirectory} (archive method:{Format}, compress method:{Compression})")]
    internal static partial void PackStarted(ILogger logger, string rootDirectory, Packing.ArchiveFormat format, Compression.CompressionMethod compression);

    [LoggerMessage(1002, LogLevel.Information, "Packed {RootDirectory}: {Entries} entries, {ArchiveBytes} archive bytes, {CompressedBytes} compressed")]
    internal static partial void PackFinished(ILogger logger, string rootDirectory, long entries, long archiveBytes, long compressedBytes);

    [LoggerMessage(1003, LogLevel.Information, "Left {Name} out of the archive: it is the pack's own output")]
    internal static partial void PackOutputLeftOut(ILogger logger, string name);
}
