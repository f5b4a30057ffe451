using Microsoft.Extensions.Logging;
using Xcat.Imaging.Compression;

namespace Xcat.Imaging;

/// <summary>Compression messages, event ids 1100–1199.</summary>
internal static partial class Log
{
    [LoggerMessage(1101, LogLevel.Debug, "Compressing with {Method} at level {Level} on {Threads} threads")]
    internal static partial void CompressorCreated(ILogger logger, CompressionMethod method, int level, int threads);

    [LoggerMessage(1102, LogLevel.Debug, "Finished {Method}: {InputBytes} bytes in, {OutputBytes} bytes out")]
    internal static partial void CompressorFinished(ILogger logger, CompressionMethod method, long inputBytes, long outputBytes);

    [LoggerMessage(1103, LogLevel.Warning, "Closed a {Method} compressor after an error; its output is incomplete")]
    internal static partial void CompressorAbandoned(ILogger logger, CompressionMethod method, Exception exception);
}
