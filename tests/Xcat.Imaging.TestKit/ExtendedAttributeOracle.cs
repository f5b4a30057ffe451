using System.Globalization;

namespace Xcat.Imaging.TestKit;

/// <summary>Reads and writes extended attributes with <c>getfattr</c>/<c>setfattr</c> from the <c>attr</c> package.</summary>
public static class ExtendedAttributeOracle
{
    /// <summary>Every attribute of <paramref name="path"/> itself (<c>getfattr -h -d -m - -e hex</c>).</summary>
    public static IReadOnlyDictionary<string, byte[]> Read(string path)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var output = HostCommand.Run("getfattr", "-h", "-d", "-m", "-", "-e", "hex", "--absolute-names", "--", path);
        foreach (var line in output.Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || equals < 0)
            {
                continue;
            }

            var value = line[(equals + 1)..];
            result[line[..equals]] = value.StartsWith("0x", StringComparison.Ordinal) ? Convert.FromHexString(value[2..]) : [];
        }

        return result;
    }

    /// <summary>Sets one attribute of <paramref name="path"/> itself (<c>setfattr -h</c>), value given as bytes.</summary>
    public static void Write(string path, string name, byte[] value)
        => HostCommand.Run("setfattr", "-h", "-n", name, "-v", "0x" + Convert.ToHexString(value).ToLower(CultureInfo.InvariantCulture), "--", path);

    /// <summary>
    /// The first of the temp directory, <c>/var/tmp</c> and <c>/dev/shm</c> whose file system accepts <c>user.</c>
    /// attributes (ext4, xfs, btrfs and tmpfs since Linux 6.6 do; overlayfs on some hosts does not).
    /// </summary>
    public static string FindSupportingDirectory()
        => new[] { Path.GetTempPath(), "/var/tmp", "/dev/shm" }.FirstOrDefault(d => Directory.Exists(d) && SupportsUserAttributes(d))
            ?? throw new InvalidOperationException("No writable directory supports user extended attributes.");

    /// <summary>
    /// Whether the file system of <paramref name="directory"/> accepts <c>user.</c> attributes on regular files.
    /// </summary>
    public static bool SupportsUserAttributes(string directory)
    {
        var probe = Path.Combine(directory, ".xattr-probe-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(probe, []);
        try
        {
            return HostCommand.TryRun("setfattr", "-n", "user.probe", "-v", "1", "--", probe).ExitCode == 0;
        }
        finally
        {
            File.Delete(probe);
        }
    }
}
