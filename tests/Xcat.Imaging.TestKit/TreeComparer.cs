using System.Globalization;
using Xcat.Imaging.Unix;
using Xunit.Sdk;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// Compares two directory trees completely — presence, type, mode, owner, size, modification time, content hash,
/// link target, device numbers, hard-link groups and optionally extended attributes — and reports every difference,
/// not only the first. Reads both trees through <see cref="TreeSnapshot"/> (host tools, not the library).
/// </summary>
public sealed class TreeComparer
{
    private readonly TreeComparisonOptions _options;

    /// <summary>Initializes a new instance.</summary>
    public TreeComparer(TreeComparisonOptions? options = null)
    {
        _options = options ?? new TreeComparisonOptions();
    }

    /// <summary>Captures both trees and compares them.</summary>
    public IReadOnlyList<TreeDifference> Compare(string expectedRoot, string actualRoot)
        => Compare(Capture(expectedRoot), Capture(actualRoot));

    /// <summary>Captures a tree with what these options compare (for comparing later against a tree that changes).</summary>
    public TreeSnapshot Capture(string root) => TreeSnapshot.Capture(root, _options.CompareExtendedAttributes);

    /// <summary>Compares two snapshots.</summary>
    public IReadOnlyList<TreeDifference> Compare(TreeSnapshot expected, TreeSnapshot actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<TreeDifference>();
        var paths = expected.Entries.Keys.Union(actual.Entries.Keys).Where(Included).Order(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var inExpected = expected.Entries.TryGetValue(path, out var e);
            var inActual = actual.Entries.TryGetValue(path, out var a);
            if (!inExpected || !inActual)
            {
                differences.Add(new(path, "presence", inExpected ? Describe(e!) : null, inActual ? Describe(a!) : null));
                continue;
            }

            CompareEntry(e!, a!, differences);
        }

        return differences;
    }

    /// <summary>Compares two trees and fails the test with every difference listed.</summary>
    public void AssertEqual(string expectedRoot, string actualRoot) => AssertEqual(Capture(expectedRoot), Capture(actualRoot));

    /// <summary>Compares two snapshots and fails the test with every difference listed.</summary>
    public void AssertEqual(TreeSnapshot expected, TreeSnapshot actual)
    {
        var differences = Compare(expected, actual);
        if (differences.Count > 0)
        {
            throw new XunitException(
                $"The tree {actual.Root} differs from {expected.Root} in {differences.Count} ways:{Environment.NewLine}"
                + string.Join(Environment.NewLine, differences));
        }
    }

    private bool Included(string path)
        => (_options.CompareRoot || path != ".") && (_options.Ignore is null || !_options.Ignore(path));

    private void CompareEntry(TreeSnapshotEntry expected, TreeSnapshotEntry actual, List<TreeDifference> differences)
    {
        var path = expected.Path;
        var e = expected.Status;
        var a = actual.Status;
        if (e.Type != a.Type)
        {
            differences.Add(new(path, "type", e.Type.ToString(), a.Type.ToString()));
            return;
        }

        void Check<T>(string aspect, T expectedValue, T actualValue)
        {
            if (!EqualityComparer<T>.Default.Equals(expectedValue, actualValue))
            {
                differences.Add(new(path, aspect, Format(expectedValue), Format(actualValue)));
            }
        }

        if (_options.CompareModes && e.Type != UnixFileType.SymbolicLink)
        {
            Check("mode", Octal(e.Mode), Octal(a.Mode));
        }

        if (_options.CompareOwners)
        {
            Check("uid", e.Uid, a.Uid);
            Check("gid", e.Gid, a.Gid);
        }

        if (_options.CompareModificationTimes
            && (e.Type != UnixFileType.Directory || _options.CompareDirectoryModificationTimes)
            && (e.Type != UnixFileType.SymbolicLink || _options.CompareSymbolicLinkModificationTimes))
        {
            Check("mtime", Truncate(e.ModificationTime), Truncate(a.ModificationTime));
        }

        switch (e.Type)
        {
            case UnixFileType.RegularFile:
                Check("size", e.Length, a.Length);
                Check("content", expected.ContentHash, actual.ContentHash);
                break;
            case UnixFileType.SymbolicLink:
                Check("link target", expected.LinkTarget, actual.LinkTarget);
                break;
            case UnixFileType.CharacterDevice or UnixFileType.BlockDevice:
                Check("rdev", $"{e.DeviceMajor},{e.DeviceMinor}", $"{a.DeviceMajor},{a.DeviceMinor}");
                break;
        }

        if (_options.CompareHardLinks && e.Type != UnixFileType.Directory)
        {
            Check("hard links", expected.HardLinkGroup, actual.HardLinkGroup);
        }

        if (_options.CompareExtendedAttributes)
        {
            foreach (var name in expected.ExtendedAttributes.Keys.Union(actual.ExtendedAttributes.Keys).Order(StringComparer.Ordinal))
            {
                Check($"xattr {name}", expected.ExtendedAttributes.GetValueOrDefault(name), actual.ExtendedAttributes.GetValueOrDefault(name));
            }
        }
    }

    private DateTimeOffset Truncate(DateTimeOffset time)
    {
        var resolution = _options.ModificationTimeResolution.Ticks;
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var floored = ticks - (((ticks % resolution) + resolution) % resolution);
        return DateTimeOffset.UnixEpoch.AddTicks(floored);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    private static string? Format<T>(T value) => value switch
    {
        null => null,
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string Describe(TreeSnapshotEntry entry) => $"{entry.Status.Type} {Octal(entry.Status.Mode)}";
}
