namespace Xcat.Imaging.Unix;

/// <summary>Conversions between Unix seconds + nanoseconds and <see cref="DateTimeOffset"/>.</summary>
internal static class UnixTime
{
    private static readonly long s_minSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long s_maxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>Converts, truncating to 100 ns and clamping to the range of <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset FromSeconds(long seconds, uint nanoseconds)
    {
        if (seconds < s_minSeconds)
        {
            return DateTimeOffset.MinValue;
        }

        if (seconds >= s_maxSeconds)
        {
            return DateTimeOffset.MaxValue;
        }

        return DateTimeOffset.UnixEpoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100));
    }
}
