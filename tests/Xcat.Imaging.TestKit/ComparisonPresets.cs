namespace Xcat.Imaging.TestKit;

/// <summary>Tree comparisons for archive formats that keep less than the file system does.</summary>
public static class ComparisonPresets
{
    /// <summary>cpio and ustar keep whole seconds.</summary>
    public static TreeComparisonOptions Seconds() => new() { ModificationTimeResolution = TimeSpan.FromSeconds(1) };

    /// <summary>GNU cpio 2.13 <c>-idm</c> sets neither directory mtimes (it writes into them afterwards) nor symlink mtimes.</summary>
    public static TreeComparisonOptions GnuCpio() => new()
    {
        ModificationTimeResolution = TimeSpan.FromSeconds(1),
        CompareDirectoryModificationTimes = false,
        CompareSymbolicLinkModificationTimes = false,
    };

    /// <summary>tar cannot store sockets (GNU tar skips them too).</summary>
    public static TreeComparisonOptions TarWithoutSockets() => new()
    {
        ModificationTimeResolution = TimeSpan.FromSeconds(1),
        Ignore = path => path.EndsWith("sock", StringComparison.Ordinal),
    };
}
