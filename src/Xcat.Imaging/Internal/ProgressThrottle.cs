namespace Xcat.Imaging.Internal;

/// <summary>Passes on at most one report per interval (and always the final one), so huge trees do not flood the UI.</summary>
internal sealed class ProgressThrottle(IProgress<ImagingProgress>? progress, TimeSpan? interval = null, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly long _intervalTicks = (long)((interval ?? TimeSpan.FromMilliseconds(100)).TotalSeconds * (timeProvider ?? TimeProvider.System).TimestampFrequency);
    private long _last = long.MinValue;

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
