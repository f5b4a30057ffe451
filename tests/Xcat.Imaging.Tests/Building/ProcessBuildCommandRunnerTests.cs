using Xcat.Imaging.Building.Execution;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Building;

public sealed class ProcessBuildCommandRunnerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "xcatimg-runner-" + Guid.NewGuid().ToString("N"));

    public ProcessBuildCommandRunnerTests()
    {
        // A busybox root: enough for a chroot with a shell.
        Directory.CreateDirectory(Path.Combine(_root, "bin"));
        File.Copy("/bin/busybox", Path.Combine(_root, "bin/busybox"));
        File.CreateSymbolicLink(Path.Combine(_root, "bin/sh"), "busybox");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [RootFact]
    public async Task Chroot_command_sees_proc_sys_a_private_dev_and_binds_and_the_host_sees_no_mount_after()
    {
        var cache = Path.Combine(_root + "-cache");
        Directory.CreateDirectory(cache);
        await File.WriteAllTextAsync(Path.Combine(cache, "cached.deb"), "pkg");
        try
        {
            var runner = new ProcessBuildCommandRunner();
            var output = await runner.QueryAsync(new BuildCommand("/bin/busybox",
                ["sh", "-c", "test -e /proc/self/status && test -d /sys/kernel && test -c /dev/null && test -c /dev/urandom && cat /var/cache/apt/archives/cached.deb && echo; busybox awk '{print $2}' /proc/mounts"])
            {
                Root = _root,
                Chroot = true,
                Binds = [new BuildBind(cache, "/var/cache/apt/archives")],
            });

            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines[0].Should().Be("pkg");
            lines.Should().Contain(["/proc", "/sys", "/dev", "/dev/pts", "/run", "/var/cache/apt/archives"]);
            (await File.ReadAllTextAsync("/proc/mounts")).Should().NotContain(_root, "the mounts lived only in the command's namespace");
            Directory.EnumerateFileSystemEntries(Path.Combine(_root, "dev")).Should().BeEmpty("the image's /dev was a tmpfs over it");
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [RootFact]
    public async Task Removing_dev_null_inside_the_image_leaves_the_hosts_alone()
    {
        var runner = new ProcessBuildCommandRunner();
        await runner.RunAsync(new BuildCommand("/bin/sh", ["-c", "rm -f /dev/null /dev/zero && ! test -e /dev/null"]) { Root = _root, Chroot = true });

        new FileInfo("/dev/null").Exists.Should().BeTrue();
        File.GetUnixFileMode("/dev/null").Should().HaveFlag(UnixFileMode.OtherWrite);
    }

    [RootFact]
    public async Task A_failing_command_raises_with_the_failure_message_status_and_last_error_lines()
    {
        var runner = new ProcessBuildCommandRunner();
        var act = () => runner.RunAsync(new BuildCommand("/bin/sh", ["-c", "echo working; echo 'E: Unable to locate package nosuchpkg' >&2; exit 100"])
        {
            Root = _root,
            Chroot = true,
            FailureMessage = "RPM package manager invocation failed",
        });

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .StartWith("RPM package manager invocation failed: /bin/sh exited with status 100")
            .And.Contain("E: Unable to locate package nosuchpkg");
    }

    [RootFact]
    public async Task Environment_is_passed_and_chroot_commands_get_a_standard_path()
    {
        var runner = new ProcessBuildCommandRunner();
        var output = await runner.QueryAsync(new BuildCommand("sh", ["-c", "echo $IMG_NAME:$PATH"])
        {
            Root = _root,
            Chroot = true,
            Environment = new Dictionary<string, string> { ["IMG_NAME"] = "debian12-x86_64-netboot-compute" },
        });

        output.Should().Be("debian12-x86_64-netboot-compute:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
    }

    [RootFact]
    public async Task A_cancelled_command_is_killed_with_what_it_started_and_leaves_no_mount()
    {
        var runner = new ProcessBuildCommandRunner();
        var marker = "xcatimg-cancel-" + Guid.NewGuid().ToString("N")[..8];
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var act = () => runner.RunAsync(new BuildCommand("/bin/sh", ["-c", $"busybox sleep 300 & exec busybox sh -c 'busybox sleep 301; echo {marker}'"])
        {
            Root = _root,
            Chroot = true,
        }, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        await Task.Delay(500);
        (await File.ReadAllTextAsync("/proc/mounts")).Should().NotContain(_root);
        var survivors = Directory.EnumerateDirectories("/proc").Where(dir => int.TryParse(Path.GetFileName(dir), out _))
            .Select(dir => { try { return File.ReadAllText(Path.Combine(dir, "cmdline")); } catch (IOException) { return ""; } })
            .Where(cmdline => cmdline.Contains("sleep\u0000300", StringComparison.Ordinal) || cmdline.Contains(marker, StringComparison.Ordinal));
        survivors.Should().BeEmpty();
    }

    [Fact]
    public async Task Recording_runner_records_commands_and_files_in_order_and_runs_nothing()
    {
        var runner = new RecordingBuildCommandRunner();
        var target = Path.Combine(_root, "never-written.repo");
        await runner.WriteFileAsync(target, "[repo]\nbaseurl=file:///install/x\n");
        await runner.RunAsync(new BuildCommand("dnf", ["-y", "install", "bash", "@Core Group"]) { Environment = new Dictionary<string, string> { ["INUCLIENTS"] = "1" } });

        runner.Steps.Select(step => step.ToString()).Should().Equal(
            $"write {target}\n    [repo]\n    baseurl=file:///install/x",
            "INUCLIENTS=1 dnf -y install bash '@Core Group'");
        File.Exists(target).Should().BeFalse();
    }
}
