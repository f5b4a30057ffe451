using Microsoft.Extensions.Logging;
using Xcat.Imaging.Cpio;

namespace Xcat.Imaging;

/// <summary>Log messages of <see cref="CpioWriter"/> and <see cref="CpioReader"/>: event ids 5000–5099.</summary>
internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Debug, "Wrote a {Format} cpio archive: {EntryCount} entries and the trailer, {ByteCount} bytes")]
    internal static partial void CpioArchiveWritten(ILogger logger, CpioFormat format, long entryCount, long byteCount);

    [LoggerMessage(5002, LogLevel.Warning, "Clamped the modification time of {Name} from {ModificationTime:O} to {ClampedTime:O}: cpio holds 32-bit unsigned seconds")]
    internal static partial void CpioModificationTimeClamped(ILogger logger, string name, DateTimeOffset modificationTime, DateTimeOffset clampedTime);

    [LoggerMessage(5003, LogLevel.Debug, "cpio archive {ArchiveIndex} ended with TRAILER!!! at byte offset {Offset} after {EntryCount} entries")]
    internal static partial void CpioArchiveEnded(ILogger logger, int archiveIndex, long offset, long entryCount);

    [LoggerMessage(5004, LogLevel.Debug, "Concatenated cpio archive {ArchiveIndex} starts at byte offset {Offset}")]
    internal static partial void CpioConcatenatedArchive(ILogger logger, int archiveIndex, long offset);

    [LoggerMessage(5005, LogLevel.Warning, "Writing cpio entry {Name} failed part-way; the archive is incomplete and the writer takes no more entries")]
    internal static partial void CpioWriterFaulted(ILogger logger, string name, Exception exception);
}
