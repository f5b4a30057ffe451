namespace Xcat.Imaging.TestKit;

/// <summary>
/// Boots an initramfs under qemu-system-x86_64 with a Debian kernel (spec initramfs-and-compression.md): the kernel
/// comes from the linux-image-amd64 package, unpacked with dpkg-deb, cached in /var/cache/xcat-imaging/kernel.
/// </summary>
public static class KernelBoot
{
    public const string Marker = "XCAT-IMAGING-BOOT-OK";

    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>The /init script: prints the marker (and anything extra) and powers off.</summary>
    public static string InitScript(string extraCommands = "") =>
        "#!/bin/busybox sh\n" +
        "/bin/busybox mount -t proc proc /proc\n" +
        extraCommands +
        $"echo {Marker}\n" +
        "echo o > /proc/sysrq-trigger\n" +
        "/bin/busybox sleep 10\n";

    /// <summary>Writes a minimal bootable root: /init, /bin/busybox (static), /proc, /dev.</summary>
    public static void WriteMinimalRoot(string directory, string extraCommands = "")
    {
        Directory.CreateDirectory(Path.Combine(directory, "bin"));
        Directory.CreateDirectory(Path.Combine(directory, "proc"));
        Directory.CreateDirectory(Path.Combine(directory, "dev"));
        File.Copy("/bin/busybox", Path.Combine(directory, "bin", "busybox"), overwrite: true);
        var init = Path.Combine(directory, "init");
        File.WriteAllText(init, InitScript(extraCommands));
        File.SetUnixFileMode(init, (UnixFileMode)0b111_101_101);
    }

    /// <summary>Returns the path of a vmlinuz, downloading and unpacking the Debian kernel once.</summary>
    public static async Task<string> GetKernelAsync()
    {
        var cache = Environment.GetEnvironmentVariable("XCATIMG_TEST_KERNEL_DIR") ?? "/var/cache/xcat-imaging/kernel";
        await s_gate.WaitAsync();
        try
        {
            var existing = Directory.Exists(cache) ? Directory.GetFiles(cache, "vmlinuz-*").FirstOrDefault() : null;
            if (existing is not null)
            {
                return existing;
            }

            Directory.CreateDirectory(cache);
            var script = """
                set -e
                pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
                tmp=$(mktemp -d)
                cd "$tmp"
                apt-get download "$pkg" >/dev/null 2>&1
                dpkg-deb --fsys-tarfile ./*.deb | tar -x --wildcards './boot/vmlinuz-*'
                mv boot/vmlinuz-* "$1/"
                rm -rf "$tmp"
                """;
            (await ExternalTool.RunAsync("bash", ["-c", script, "fetch-kernel", cache], timeout: TimeSpan.FromMinutes(10))).EnsureSuccess();
            return Directory.GetFiles(cache, "vmlinuz-*").Single();
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <summary>Boots <paramref name="initramfs"/> and returns the console output.</summary>
    public static async Task<string> BootAsync(string initramfs, TimeSpan? timeout = null)
    {
        var kernel = await GetKernelAsync();

        // no_timer_check: under a loaded host, qemu's emulated 8254 may miss the kernel's IO-APIC timer check, which
        // then panics ("IO-APIC + timer doesn't work!") before the initramfs is even read.
        var result = await ExternalTool.RunAsync("qemu-system-x86_64",
        [
            "-kernel", kernel, "-initrd", initramfs, "-append", "console=ttyS0 panic=-1 quiet no_timer_check",
            "-m", "512", "-nographic", "-no-reboot", "-monitor", "none", "-serial", "stdio", "-display", "none",
        ], timeout: timeout ?? TimeSpan.FromMinutes(3));
        return result.Output + result.StandardError;
    }
}
