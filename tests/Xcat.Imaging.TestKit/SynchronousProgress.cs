namespace Xcat.Imaging.TestKit;

/// <summary>
/// Records every <see cref="ImagingProgress"/> report on the reporting thread, as it happens: unlike
/// <see cref="Progress{T}"/>, which posts to the thread pool, nothing arrives late and a callback (cancelling, say) runs
/// before the reporter goes on.
/// </summary>
public sealed class SynchronousProgress(Action<ImagingProgress>? onReport = null) : IProgress<ImagingProgress>
{
    private readonly List<ImagingProgress> _reports = [];

    /// <summary>Gets a copy of the reports so far, in the order they came.</summary>
    public IReadOnlyList<ImagingProgress> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    /// <summary>Records <paramref name="value"/>, then runs the callback given to the constructor.</summary>
    public void Report(ImagingProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }

        onReport?.Invoke(value);
    }
}
