using Xcat.Imaging.Unix;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// Everything about a directory tree that an image must keep, read with host tools (<c>find</c> + <c>stat</c>,
/// <c>getfattr</c>) and the BCL only, so that it is an oracle independent of the library's walker and libc calls.
/// </summary>
public sealed class TreeSnapshot
{
    private TreeSnapshot(string root, IReadOnlyDictionary<string, TreeSnapshotEntry> entries)
    {
        Root = root;
        Entries = entries;
    }

    /// <summary>Gets the root directory that was captured.</summary>
    public string Root { get; }

    /// <summary>Gets the objects by relative path (<c>.</c> for the root, <c>a/b</c> below it).</summary>
    public IReadOnlyDictionary<string, TreeSnapshotEntry> Entries { get; }

    /// <summary>Captures the tree under <paramref name="root"/>.</summary>
    /// <param name="root">The root directory.</param>
    /// <param name="extendedAttributes">Whether to read extended attributes too (<c>getfattr -R</c>).</param>
    public static TreeSnapshot Capture(string root, bool extendedAttributes = false)
    {
        root = System.IO.Path.GetFullPath(root).TrimEnd('/');
        var statuses = StatOracle.ReadTree(root);
        var attributes = extendedAttributes ? ReadAllAttributes(root) : new Dictionary<string, IReadOnlyDictionary<string, string>>();
        var groups = statuses
            .Where(pair => pair.Value.Type != UnixFileType.Directory)
            .GroupBy(pair => (pair.Value.FileSystemMajor, pair.Value.FileSystemMinor, pair.Value.Inode))
            .Where(group => group.Count() > 1)
            .SelectMany(group =>
            {
                var names = string.Join('|', group.Select(pair => pair.Key).Order(StringComparer.Ordinal));
                return group.Select(pair => (pair.Key, names));
            })
            .ToDictionary(pair => pair.Key, pair => pair.names, StringComparer.Ordinal);

        var hashes = ReadHashes(root);
        var linkTargets = ReadLinkTargets(root);
        var entries = new SortedDictionary<string, TreeSnapshotEntry>(StringComparer.Ordinal);
        foreach (var (path, status) in statuses)
        {
            entries[path] = new TreeSnapshotEntry(
                path,
                status,
                status.Type == UnixFileType.RegularFile ? hashes[path] : null,
                status.Type == UnixFileType.SymbolicLink ? linkTargets[path] : null,
                groups.GetValueOrDefault(path),
                attributes.GetValueOrDefault(path) ?? new Dictionary<string, string>());
        }

        return new TreeSnapshot(root, entries);
    }

    // Host tools, not .NET file APIs, so that names which are not UTF-8 are read as the bytes they are.
    private static Dictionary<string, string> ReadHashes(string root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var output = HostCommand.Run("find", root, "-type", "f", "-exec", "sha256sum", "-z", "--", "{}", "+");
        foreach (var line in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<hash>  <path>" (sha256sum -z does not escape names).
            result[Relative(root, line[66..])] = line[..64].ToUpperInvariant();
        }

        return result;
    }

    private static Dictionary<string, string> ReadLinkTargets(string root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = HostCommand.Run("find", root, "-type", "l", "-printf", "%p\\0%l\\0").Split('\0');
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            result[Relative(root, fields[i])] = fields[i + 1];
        }

        return result;
    }

    private static string Relative(string root, string path) => path == root ? "." : path[(root.Length + 1)..];

    /// <summary>Parses <c>getfattr -R -P -h -d -m - -e hex --absolute-names</c>, whose file names escape bytes as <c>\ooo</c>.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, string>> ReadAllAttributes(string root)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var output = HostCommand.Run("getfattr", "-R", "-P", "-h", "-d", "-m", "-", "-e", "hex", "--absolute-names", "--", root);
        SortedDictionary<string, string>? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("# file: ", StringComparison.Ordinal))
            {
                var full = Unescape(line["# file: ".Length..]).TrimEnd('/');
                var relative = full == root ? "." : full[(root.Length + 1)..];
                current = new SortedDictionary<string, string>(StringComparer.Ordinal);
                result[relative] = current;
            }
            else if (current is not null && line.IndexOf('=', StringComparison.Ordinal) is var equals and > 0)
            {
                current[line[..equals]] = line[(equals + 1)..];
            }
        }

        return result;
    }

    private static string Unescape(string text)
    {
        var bytes = UnixNameEncoding.GetBytes(text);
        var output = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\\' && i + 3 < bytes.Length && IsOctal(bytes[i + 1]) && IsOctal(bytes[i + 2]) && IsOctal(bytes[i + 3]))
            {
                output.Add((byte)(((bytes[i + 1] - '0') << 6) | ((bytes[i + 2] - '0') << 3) | (bytes[i + 3] - '0')));
                i += 3;
            }
            else
            {
                output.Add(bytes[i]);
            }
        }

        return UnixNameEncoding.GetString(output.ToArray());
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
}
