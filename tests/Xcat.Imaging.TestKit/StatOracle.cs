using System.Globalization;
using System.Numerics;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// Reads file metadata with GNU coreutils <c>stat</c> (an oracle independent of the library's own libc calls).
/// Every field is <c>lstat</c>'s: a symbolic link is described, not followed.
/// </summary>
public static class StatOracle
{
    // raw mode (hex), uid, gid, inode, nlink, rdev major/minor, st_dev major/minor, size, mtime with nanoseconds.
    private const string Format = "%f\\0%u\\0%g\\0%i\\0%h\\0%Hr\\0%Lr\\0%Hd\\0%Ld\\0%s\\0%.9Y\\0%n\\0";
    private const int FieldCount = 12;

    /// <summary>Runs <c>stat</c> on one path.</summary>
    public static UnixFileStatus Read(string path) => Parse(HostCommand.Run("stat", "--printf", Format, "--", path)).Single().Status;

    /// <summary>
    /// Runs <c>find root -exec stat</c> over a whole tree (<paramref name="root"/> included) and returns every object
    /// by its path relative to <paramref name="root"/> (<c>.</c> for the root, <c>a/b</c> below it).
    /// </summary>
    public static IReadOnlyDictionary<string, UnixFileStatus> ReadTree(string root)
    {
        var result = new Dictionary<string, UnixFileStatus>(StringComparer.Ordinal);
        var prefix = root.TrimEnd('/') + "/";
        foreach (var (path, status) in Parse(HostCommand.Run("find", root, "-exec", "stat", "--printf", Format, "--", "{}", "+")))
        {
            var relative = path == root || path == prefix.TrimEnd('/') ? "." : path[prefix.Length..];
            result.Add(relative, status);
        }

        return result;
    }

    /// <summary>Turns <c>stat</c>'s <c>%.9Y</c> (seconds with nanoseconds, possibly negative) into a time truncated to 100 ns.</summary>
    public static DateTimeOffset ParseTime(string text)
    {
        var ticks = Math.Floor(decimal.Parse(text, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond);
        return DateTimeOffset.UnixEpoch.AddTicks((long)ticks);
    }

    /// <summary>The file type encoded in the <c>S_IFMT</c> bits of a raw mode.</summary>
    public static UnixFileType TypeOf(uint rawMode) => (rawMode & 0xF000) switch
    {
        0x8000 => UnixFileType.RegularFile,
        0x4000 => UnixFileType.Directory,
        0xA000 => UnixFileType.SymbolicLink,
        0x2000 => UnixFileType.CharacterDevice,
        0x6000 => UnixFileType.BlockDevice,
        0x1000 => UnixFileType.Fifo,
        0xC000 => UnixFileType.Socket,
        var other => throw new InvalidDataException($"Unknown file type {other:x}."),
    };

    private static IEnumerable<(string Path, UnixFileStatus Status)> Parse(string output)
    {
        var fields = output.Split('\0');
        for (var i = 0; i + FieldCount <= fields.Length; i += FieldCount)
        {
            var rawMode = uint.Parse(fields[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var type = TypeOf(rawMode);
            var isDevice = type is UnixFileType.CharacterDevice or UnixFileType.BlockDevice;
            var status = new UnixFileStatus(
                type,
                (UnixFileMode)(rawMode & 0xFFF),
                Number<uint>(fields[i + 1]),
                Number<uint>(fields[i + 2]),
                Number<ulong>(fields[i + 3]),
                Number<uint>(fields[i + 4]),
                isDevice ? Number<uint>(fields[i + 5]) : 0,
                isDevice ? Number<uint>(fields[i + 6]) : 0,
                Number<uint>(fields[i + 7]),
                Number<uint>(fields[i + 8]),
                Number<long>(fields[i + 9]),
                ParseTime(fields[i + 10]));
            yield return (fields[i + 11], status);
        }
    }

    private static T Number<T>(string text) where T : INumber<T> => T.Parse(text, CultureInfo.InvariantCulture);
}
