using System.Globalization;

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
        void Mode(string relative, string octal) => File.SetUnixFileMode(P(relative), (UnixFileMode)Convert.ToInt32(octal, 8));

        foreach (var d in new[] { "bin", "sbin", "etc", "dev", "run", "tmp", "var/empty", "srv/shared", "home/user", "usr/bin", "usr/lib", "usr/share" })
        {
            Dir(d);
        }

        FileText("etc/hostname", "node01\n");
        FileText("etc/shadow", "root:*:19000:0:99999:7:::\n");
        Mode("etc/shadow", "0600");
        FileText("empty", string.Empty);
        FileText("home/user/notes", "owned by someone else\n");
        Mode("home/user/notes", "0640");
        var big = new byte[(1024 * 1024) + 123];
        new Random(42).NextBytes(big);
        File.WriteAllBytes(P("usr/lib/big.bin"), big);

        FileText(TripleLink[0], "#!busybox\n" + new string('b', 5000));
        foreach (var other in TripleLink.Skip(1))
        {
            HostCommand.Run("ln", P(TripleLink[0]), P(other));
        }

        FileText(PairLink[0], "ELF-ish pair\n");
        HostCommand.Run("ln", P(PairLink[0]), P(PairLink[1]));
        FileText("var/empty/a", string.Empty);
        HostCommand.Run("ln", P("var/empty/a"), P("var/empty/b"));

        File.CreateSymbolicLink(P("lib"), "usr/lib");
        File.CreateSymbolicLink(P("etc/mtab"), "/proc/self/mounts");
        File.CreateSymbolicLink(P("dangling"), "no/such/target");
        File.CreateSymbolicLink(P("usr/bin/busybox-link"), "../../bin/busybox");

        HostCommand.Run("mkfifo", "-m", "0600", P("run/initctl"));
        HostCommand.CreateSocket(P("run/sock"));

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
            HostCommand.Run("mknod", "-m", "0600", P("dev/console"), "c", "5", "1");
            HostCommand.Run("mknod", "-m", "0666", P("dev/null"), "c", "1", "3");
            HostCommand.Run("mknod", "-m", "0660", P("dev/loop0"), "b", "7", "0");
            HostCommand.Run("chown", "0:6", P("dev/loop0"));
            HostCommand.Run("chown", $"{TestUid}:{TestGid}", P("home/user"), P("home/user/notes"), P("srv/shared"));
            HostCommand.Run("chown", "-h", $"{TestUid}:{TestGid}", P("dangling"));
            HostCommand.Run("chown", "0:5", P("usr/bin/wall"));
        }

        // Modes after chown, which clears set-user-ID and set-group-ID.
        Mode("bin/su", "4755");
        Mode("usr/bin/wall", "2755");
        Mode("tmp", "1777");
        Mode("srv/shared", "2775");
        Mode("var/empty", "0711");

        if (privileged)
        {
            HostCommand.Run("setcap", "cap_net_raw+ep", P("usr/bin/ping"));
        }

        if (ExtendedAttributeOracle.SupportsUserAttributes(root))
        {
            ExtendedAttributeOracle.Write(P("etc/hostname"), "user.comment", "written by SampleTree"u8.ToArray());
            ExtendedAttributeOracle.Write(P("tmp"), "user.dir", [0, 1, 2]);
        }

        // Times last: creating entries changes their directories' times, touching does not.
        HostCommand.Run("find", root, "-exec", "touch", "-h", "-d", "@" + DefaultTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "{}", "+");
        HostCommand.Run("touch", "-h", "-d", "1970-01-02 00:00:00 UTC", P("old"), P("dangling"));
        HostCommand.Run("touch", "-h", "-d", "2100-01-01 00:00:00.5 UTC", P("future"), P("etc"));
        return privileged;
    }
}
