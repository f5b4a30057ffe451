using System.Globalization;

namespace Xcat.Imaging.Cli;

/// <summary>A one-line progress bar on stderr when it is a terminal; silent when redirected.</summary>
internal sealed class ConsoleProgressBar(TextWriter error, bool enabled) : IProgress<ImagingProgress>, IDisposable
{
    private const int Width = 30;
    private readonly Lock _gate = new();
    private bool _drawn;

    public void Report(ImagingProgress value)
    {
        if (!enabled)
        {
            return;
        }

        lock (_gate)
        {
            error.Write("\r" + Render(value).PadRight(100));
            _drawn = true;
        }
    }

    public void Dispose()
    {
        if (_drawn)
        {
            error.Write("\r" + new string(' ', 100) + "\r");
        }
    }

    internal static string Render(ImagingProgress value)
    {
        double? fraction = value.BytesTotal is > 0 ? (double)value.BytesDone / value.BytesTotal.Value
            : value.ItemsTotal is > 0 ? (double)value.ItemsDone / value.ItemsTotal.Value
            : null;
        var bar = fraction is { } f
            ? "[" + new string('#', (int)Math.Round(Math.Clamp(f, 0, 1) * Width)).PadRight(Width) + "] " + (Math.Clamp(f, 0, 1) * 100).ToString("0", CultureInfo.InvariantCulture) + "% "
            : string.Empty;
        var items = value.ItemsTotal is { } total ? $"{value.ItemsDone}/{total}" : value.ItemsDone.ToString(CultureInfo.InvariantCulture);
        return $"{value.Stage} {bar}{items} entries, {FormatBytes(value.BytesDone)}";
    }

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
