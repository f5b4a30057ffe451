using System.Diagnostics;
using System.Text;

namespace Xcat.Imaging.TestKit;

/// <summary>What a <see cref="QemuNetBoot"/> run saw: the serial console, whether the awaited text came, and how long it took.</summary>
public sealed record QemuBootResult(string Console, bool Matched, string? MatchedText, TimeSpan Elapsed);

/// <summary>
/// Boots a kernel and initrd under qemu-system-x86_64 with a virtio NIC on qemu's user network (the host's 127.0.0.1 is
/// 10.0.2.2 to the guest), the serial console in a file, and waits until the console shows one of the awaited texts
/// (e.g. <c>login:</c>) or the timeout passes; qemu is killed either way. Runs are serialised: a TCG boot takes the
/// machine's cores.
/// </summary>
public static class QemuNetBoot
{
    /// <summary>The MAC of the guest's NIC (BOOTIF=01-52-54-00-12-34-56).</summary>
    public const string Mac = "52:54:00:12:34:56";

    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>Gets the <c>BOOTIF=</c> value xNBA would pass for <see cref="Mac"/>.</summary>
    public static string BootIf => "01-" + Mac.Replace(':', '-');

    /// <summary>Boots and waits for any of <paramref name="awaited"/> on the console.</summary>
    /// <param name="kernel">The kernel (vmlinuz).</param>
    /// <param name="initrd">The initrd.</param>
    /// <param name="append">The kernel command line; <c>console=ttyS0</c> is added.</param>
    /// <param name="awaited">Texts that end the wait; the first one seen is reported.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="memoryMiB">The guest's RAM: the image is unpacked into it.</param>
    /// <param name="settle">How long to keep watching after a match (to show that nothing else follows), if at all.</param>
    public static async Task<QemuBootResult> BootAsync(string kernel, string initrd, string append, IReadOnlyList<string> awaited,
        TimeSpan timeout, int memoryMiB = 2048, TimeSpan? settle = null)
    {
        await s_gate.WaitAsync();
        var serial = Path.Combine(Path.GetTempPath(), $"xcatimg-qemu-{Guid.NewGuid():N}.log");
        var clock = Stopwatch.StartNew();
        try
        {
            var start = new ProcessStartInfo("qemu-system-x86_64")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // no_timer_check: see KernelBoot (a loaded host makes the IO-APIC timer check fail under TCG).
            string[] args =
            [
                "-m", memoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture), "-smp", "2",
                "-kernel", kernel, "-initrd", initrd, "-append", $"console=ttyS0 no_timer_check {append}",
                "-netdev", "user,id=n0", "-device", $"virtio-net-pci,netdev=n0,mac={Mac}",
                "-nographic", "-no-reboot", "-monitor", "none", "-display", "none", "-serial", $"file:{serial}",
            ];
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var qemu = Process.Start(start) ?? throw new InvalidOperationException("Could not start qemu-system-x86_64.");
            var stderr = qemu.StandardError.ReadToEndAsync();
            _ = qemu.StandardOutput.ReadToEndAsync();
            try
            {
                while (clock.Elapsed < timeout && !qemu.HasExited)
                {
                    var text = ReadConsole(serial);
                    if (awaited.FirstOrDefault(a => text.Contains(a, StringComparison.Ordinal)) is { } hit)
                    {
                        var elapsed = clock.Elapsed;
                        if (settle is { } wait)
                        {
                            await Task.Delay(wait);
                            text = ReadConsole(serial);
                        }

                        return new QemuBootResult(text, true, hit, elapsed);
                    }

                    await Task.Delay(500);
                }

                var last = ReadConsole(serial);
                var seen = awaited.FirstOrDefault(a => last.Contains(a, StringComparison.Ordinal));
                return new QemuBootResult(qemu.HasExited ? last + "\n[qemu exited] " + await stderr : last, seen is not null, seen, clock.Elapsed);
            }
            finally
            {
                if (!qemu.HasExited)
                {
                    qemu.Kill(entireProcessTree: true);
                    await qemu.WaitForExitAsync();
                }
            }
        }
        finally
        {
            File.Delete(serial);
            s_gate.Release();
        }
    }

    private static string ReadConsole(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
