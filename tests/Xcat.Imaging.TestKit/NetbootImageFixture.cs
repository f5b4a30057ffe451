using Xunit;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// A bootable Debian 12 diskless image for initrd and boot tests: a working <c>rootimgdir</c> holding <c>rootimg/</c>
/// (a copy, so tests may install scripts and build initrds in it) and its kernel. Today the image is debootstrapped
/// once per machine into /var/cache/xcat-imaging/netboot-dev with <see cref="Packages"/>; genimage can take over
/// <see cref="BuildCachedImageAsync"/> when it builds Debian images.
/// </summary>
public sealed class NetbootImageFixture : IAsyncLifetime
{
    /// <summary>The one package set with which both dracut and initramfs-tools build a working initrd in the same image
    /// (dracut-core does not conflict with initramfs-tools, unlike dracut; the kernel pulls initramfs-tools in).</summary>
    public static readonly IReadOnlyList<string> Packages =
        ["systemd-sysv", "udev", "linux-image-amd64", "dracut-core", "initramfs-tools", "busybox", "zstd", "xz-utils", "cpio", "kmod"];

    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>Gets the working rootimgdir (a temp directory); <c>rootimg/</c> is under it.</summary>
    public string RootImageDirectory { get; private set; } = string.Empty;

    /// <summary>Gets the image root.</summary>
    public string RootDirectory => Path.Combine(RootImageDirectory, "rootimg");

    /// <summary>Gets the kernel version (the only one under lib/modules).</summary>
    public string KernelVersion { get; private set; } = string.Empty;

    /// <summary>Gets the kernel file inside the image.</summary>
    public string KernelPath => Path.Combine(RootDirectory, "boot", "vmlinuz-" + KernelVersion);

    public async Task InitializeAsync()
    {
        var cached = await BuildCachedImageAsync();
        RootImageDirectory = Path.Combine(Path.GetTempPath(), $"xcatimg-netboot-{Guid.NewGuid():N}");
        Directory.CreateDirectory(RootImageDirectory);
        (await ExternalTool.RunAsync("cp", ["-a", "--reflink=auto", cached, RootDirectory], timeout: TimeSpan.FromMinutes(10))).EnsureSuccess();
        KernelVersion = Directory.GetDirectories(Path.Combine(RootDirectory, "lib", "modules")).Select(Path.GetFileName).Order(StringComparer.Ordinal).Last()!;
    }

    public Task DisposeAsync()
    {
        if (RootImageDirectory.Length > 0 && Directory.Exists(RootImageDirectory))
        {
            Directory.Delete(RootImageDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>Returns the cached image (XCATIMG_TEST_NETBOOT_IMAGE, else /var/cache/xcat-imaging/netboot-dev),
    /// debootstrapping it first when it is missing (about ten minutes; needs deb.debian.org or XCATIMG_DEBIAN_MIRROR).</summary>
    public static async Task<string> BuildCachedImageAsync()
    {
        var path = Environment.GetEnvironmentVariable("XCATIMG_TEST_NETBOOT_IMAGE") ?? "/var/cache/xcat-imaging/netboot-dev";
        await s_gate.WaitAsync();
        try
        {
            // The marker sits beside the tree, not in it, so it is never packed.
            if (File.Exists(path + ".complete"))
            {
                return path;
            }

            var mirror = Environment.GetEnvironmentVariable("XCATIMG_DEBIAN_MIRROR") ?? "http://deb.debian.org/debian";
            var script = """
                set -eu
                t="$1.tmp"
                rm -rf "$t" "$1"
                mkdir -p "$(dirname "$1")"
                debootstrap --variant=minbase bookworm "$t" "$2" >/dev/null
                unshare -m --fork sh -eu -c '
                  mount -t proc proc "$1/proc"; mount --rbind /sys "$1/sys"; mount -t tmpfs dev "$1/dev"
                  for n in null zero full random urandom tty; do cp -a /dev/$n "$1/dev/"; done
                  cp /etc/resolv.conf "$1/etc/resolv.conf"
                  chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get update
                  shift
                  chroot "$0" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
                  chroot "$0" apt-get clean' "$t" "$t" $3
                mv "$t" "$1"
                touch "$1.complete"
                """;
            (await ExternalTool.RunAsync("bash", ["-c", script, "netboot-image", path, mirror, string.Join(' ', Packages)],
                timeout: TimeSpan.FromMinutes(40))).EnsureSuccess();
            return path;
        }
        finally
        {
            s_gate.Release();
        }
    }
}
