namespace Xcat.Imaging;

/// <summary>
/// Passes on at most one report per interval (and every forced one, such as the last), so that huge trees do not
/// flood a progress bar: what every long operation of the library does with the <see cref="IProgress{T}"/> it is given.
/// </summary>
/// <param name="progress">The receiver; reports go nowhere when <see langword="null"/>.</param>
/// <param name="interval">The least time between two reports; 100 ms when <see langword="null"/>.</param>
/// <param name="timeProvider">The clock; the system's when <see langword="null"/>.</param>
public sealed class ProgressThrottle(IProgress<ImagingProgress>? progress, TimeSpan? interval = null, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly long _intervalTicks = (long)((interval ?? TimeSpan.FromMilliseconds(100)).TotalSeconds * (timeProvider ?? TimeProvider.System).TimestampFrequency);
    private long _last = long.MinValue;

    /// <summary>Passes <paramref name="value"/> on if the interval has passed since the last report, or if <paramref name="force"/>.</summary>
    /// <param name="value">The progress.</param>
    /// <param name="force"><see langword="true"/> for a report that must not be dropped, such as the final one.</param>
    public void Report(in ImagingProgress value, bool force = false)
    {
        if (progress is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (force || _last == long.MinValue || now - _last >= _intervalTicks)
        {
            _last = now;
            progress.Report(value);
        }
    }
}
