namespace Xcat.Imaging.TestKit;

/// <summary>
/// A real Debian root filesystem (debootstrap --variant=minbase bookworm), made once per machine and cached in
/// /var/cache/xcat-imaging/bookworm-minbase; tests must treat it as read-only.
/// </summary>
public static class DebianRootFilesystem
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    public static async Task<string> GetAsync()
    {
        var path = Environment.GetEnvironmentVariable("XCATIMG_TEST_ROOTFS") ?? "/var/cache/xcat-imaging/bookworm-minbase";
        await s_gate.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(path, ".xcat-imaging-complete")))
            {
                return path;
            }

            var mirror = Environment.GetEnvironmentVariable("XCATIMG_DEBIAN_MIRROR") ?? "http://deb.debian.org/debian";
            var script = """
                set -e
                rm -rf "$1"
                mkdir -p "$(dirname "$1")"
                debootstrap --variant=minbase bookworm "$1" "$2" >/dev/null
                touch "$1/.xcat-imaging-complete"
                """;
            (await ExternalTool.RunAsync("bash", ["-c", script, "debootstrap", path, mirror], timeout: TimeSpan.FromMinutes(15))).EnsureSuccess();
            return path;
        }
        finally
        {
            s_gate.Release();
        }
    }
}
