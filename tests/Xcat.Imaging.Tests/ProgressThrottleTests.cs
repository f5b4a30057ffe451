using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests;

public sealed class ProgressThrottleTests
{
    [Fact]
    public void Report_PassesTheFirstAndThenOnePerInterval_ReportNowAlwaysPasses()
    {
        var clock = new ManualClock();
        var progress = new SynchronousProgress();
        var throttle = new ProgressThrottle(progress, TimeSpan.FromSeconds(1), clock);

        throttle.Report(At(1));                 // the first one passes
        throttle.Report(At(2));                 // within the interval: dropped
        clock.Advance(TimeSpan.FromMilliseconds(999));
        throttle.Report(At(3));                 // still within: dropped
        throttle.ReportNow(At(4));              // forced: passes, and restarts the interval
        clock.Advance(TimeSpan.FromMilliseconds(500));
        throttle.Report(At(5));                 // within the new interval: dropped
        clock.Advance(TimeSpan.FromMilliseconds(500));
        throttle.Report(At(6));                 // a whole interval later: passes

        progress.Reports.Select(static r => r.ItemsDone).Should().Equal(1, 4, 6);
    }

    [Fact]
    public void Reports_WithoutAReceiver_GoNowhere()
    {
        var throttle = new ProgressThrottle(null);
        throttle.Invoking(t => t.Report(At(1))).Should().NotThrow();
        throttle.Invoking(t => t.ReportNow(At(1))).Should().NotThrow();
    }

    private static ImagingProgress At(long items) => new(ImagingStages.Pack, null, items, null, 0, null);

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
