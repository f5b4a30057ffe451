using Microsoft.Extensions.Logging;

namespace Xcat.Imaging;

/// <summary>Messages of the tar reader: event ids 5200-5299.</summary>
internal static partial class Log
{
    [LoggerMessage(5201, LogLevel.Warning, "Skipped the tar member {Name} of type '{Type}' ({Kind}), which is not supported")]
    internal static partial void TarMemberSkipped(ILogger logger, string name, string type, string kind);

    [LoggerMessage(5202, LogLevel.Debug, "Skipped the tar volume label {Name}")]
    internal static partial void TarVolumeLabelSkipped(ILogger logger, string name);
}
