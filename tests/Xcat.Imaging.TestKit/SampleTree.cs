using System.Globalization;
using System.Text;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// Builds a small root image with every kind of entry an image holds, for walk/extract and archive round trips:
/// regular and empty files, a 1 MiB file, directories, relative/absolute/dangling symbolic links, hard-link groups of
/// 2, 3 and 2 empty files, a FIFO, a socket, set-user-ID/set-group-ID/sticky modes, Unicode and 240-byte names, a deep
/// path, and times of 1970-01-02 and 2100. As root it adds character and block devices, non-root owners (also of a
/// symbolic link) and a file capability; <c>user.</c> attributes when the file system takes them.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class SampleTree
{
    /// <summary>The time every entry gets unless it is one of the special ones.</summary>
    public static readonly DateTimeOffset DefaultTime = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    /// <summary>Names (relative) of the hard-link group of three (busybox style).</summary>
    public static readonly string[] TripleLink = ["bin/busybox", "sbin/init", "usr/bin/sh"];

    /// <summary>Names (relative) of the hard-link group of two.</summary>
    public static readonly string[] PairLink = ["usr/lib/libpair.so", "usr/lib/libpair.so.1"];

    /// <summary>The 240-byte file name (ASCII) under <c>usr/share</c>.</summary>
    public static readonly string LongName = new('n', 240);

    /// <summary>The 240-byte file name made of two-byte UTF-8 characters under <c>usr/share</c>.</summary>
    public static readonly string LongUnicodeName = new('é', 120);

    /// <summary>The Unicode name under <c>usr/share</c>, with a character outside the BMP.</summary>
    public const string UnicodeName = "ünïcødé-文件-🚀.txt";

    /// <summary>A uid and gid that no file gets by accident.</summary>
    public const uint TestUid = 1234;

    /// <summary>A gid that no file gets by accident.</summary>
    public const uint TestGid = 5678;

    /// <summary>Creates the tree under <paramref name="root"/> (which must exist and be empty).</summary>
    /// <param name="root">The root directory.</param>
    /// <returns>Whether the privileged parts (devices, owners, capability) were created.</returns>
    public static bool Create(string root)
    {
        var privileged = Environment.IsPrivilegedProcess;
        string P(string relative) => Path.Combine(root, relative);
        void Dir(string relative) => Directory.CreateDirectory(P(relative));
        void FileText(string relative, string text) => File.WriteAllText(P(relative), text);

        // Host tools run as one shell script: a process per command would make every test slow.
        var script = new StringBuilder("set -e\ncd ").Append(Quote(root)).Append('\n');
        void Sh(params string[] words) => script.AppendJoin(' ', words.Select(Quote)).Append('\n');

        foreach (var d in new[] { "bin", "sbin", "etc", "dev", "run", "tmp", "var/empty", "srv/shared", "home/user", "usr/bin", "usr/lib", "usr/share" })
        {
            Dir(d);
        }

        FileText("etc/hostname", "node01\n");
        FileText("etc/shadow", "root:*:19000:0:99999:7:::\n");
        FileText("empty", string.Empty);
        FileText("home/user/notes", "owned by someone else\n");
        var big = new byte[(1024 * 1024) + 123];
        new Random(42).NextBytes(big);
        File.WriteAllBytes(P("usr/lib/big.bin"), big);

        FileText(TripleLink[0], "#!busybox\n" + new string('b', 5000));
        foreach (var other in TripleLink.Skip(1))
        {
            Sh("ln", TripleLink[0], other);
        }

        FileText(PairLink[0], "ELF-ish pair\n");
        Sh("ln", PairLink[0], PairLink[1]);
        FileText("var/empty/a", string.Empty);
        Sh("ln", "var/empty/a", "var/empty/b");

        File.CreateSymbolicLink(P("lib"), "usr/lib");
        File.CreateSymbolicLink(P("etc/mtab"), "/proc/self/mounts");
        File.CreateSymbolicLink(P("dangling"), "no/such/target");
        File.CreateSymbolicLink(P("usr/bin/busybox-link"), "../../bin/busybox");

        Sh("mkfifo", "-m", "0600", "run/initctl");
        Sh(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3", "-S", "-c",
            "import socket; socket.socket(socket.AF_UNIX).bind('run/sock')");

        FileText(Path.Combine("usr/share", UnicodeName), "unicode\n");
        FileText(Path.Combine("usr/share", LongName), "long\n");
        FileText(Path.Combine("usr/share", LongUnicodeName), "long unicode\n");
        var deep = string.Join('/', Enumerable.Range(0, 40).Select(i => "level-" + i.ToString("00", CultureInfo.InvariantCulture)));
        Dir(Path.Combine("deep", deep));
        FileText(Path.Combine("deep", deep, "bottom"), "deep\n");

        FileText("bin/su", "setuid\n");
        FileText("usr/bin/wall", "setgid\n");
        FileText("usr/bin/ping", "capability\n");
        FileText("old", "one day after the epoch\n");
        FileText("future", "the next century\n");

        if (privileged)
        {
            Sh("mknod", "-m", "0600", "dev/console", "c", "5", "1");
            Sh("mknod", "-m", "0666", "dev/null", "c", "1", "3");
            Sh("mknod", "-m", "0660", "dev/loop0", "b", "7", "0");
            Sh("chown", "0:6", "dev/loop0");
            Sh("chown", $"{TestUid}:{TestGid}", "home/user", "home/user/notes", "srv/shared");
            Sh("chown", "-h", $"{TestUid}:{TestGid}", "dangling");
            Sh("chown", "0:5", "usr/bin/wall");
        }

        // Modes after chown, which clears set-user-ID and set-group-ID.
        Sh("chmod", "0600", "etc/shadow");
        Sh("chmod", "0640", "home/user/notes");
        Sh("chmod", "4755", "bin/su");
        Sh("chmod", "2755", "usr/bin/wall");
        Sh("chmod", "1777", "tmp");
        Sh("chmod", "2775", "srv/shared");
        Sh("chmod", "0711", "var/empty");

        if (privileged)
        {
            Sh("setcap", "cap_net_raw+ep", "usr/bin/ping");
        }

        // user. attributes where the file system takes them (ext4 and tmpfs do; some overlayfs do not).
        script.Append("if setfattr -n user.comment -v 0x").Append(Convert.ToHexString("written by SampleTree"u8).ToLowerInvariant())
            .Append(" etc/hostname 2>/dev/null; then setfattr -n user.dir -v 0x000102 tmp; fi\n");

        // Times last: creating entries changes their directories' times, touching does not.
        Sh("find", ".", "-exec", "touch", "-h", "-d", "@" + DefaultTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "{}", "+");
        Sh("touch", "-h", "-d", "1970-01-02 00:00:00 UTC", "old", "dangling");
        Sh("touch", "-h", "-d", "2100-01-01 00:00:00.5 UTC", "future", "etc");
        HostCommand.Run("sh", "-c", script.ToString());
        return privileged;
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
