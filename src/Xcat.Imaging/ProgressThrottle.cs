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

    /// <summary>Passes <paramref name="value"/> on if the interval has passed since the last report (or it is the first).</summary>
    /// <param name="value">The progress.</param>
    public void Report(in ImagingProgress value) => Send(value, always: false);

    /// <summary>Passes <paramref name="value"/> on whatever the interval: a report that must not be dropped, such as the final one.</summary>
    /// <param name="value">The progress.</param>
    public void ReportNow(in ImagingProgress value) => Send(value, always: true);

    private void Send(in ImagingProgress value, bool always)
    {
        if (progress is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (always || _last == long.MinValue || now - _last >= _intervalTicks)
        {
            _last = now;
            progress.Report(value);
        }
    }
}
