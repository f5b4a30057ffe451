using System.Diagnostics;
using System.Globalization;
using System.IO.Abstractions;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Internal;
using Xcat.Imaging.IO;

namespace Xcat.Imaging.Building.Execution;

/// <summary>
/// Runs build commands for real. Each command runs under <c>setpriv --pdeathsig KILL unshare --mount --pid --fork
/// --kill-child --propagation private</c>: its mounts (the root's proc, sys, dev, run and binds) live only in its own
/// mount namespace, and when this process dies, however it dies, the command and everything it started die with it and
/// the namespace, with its mounts, is gone. Output goes to the logger line by line; standard input is empty.
/// </summary>
public sealed class ProcessBuildCommandRunner : IBuildCommandRunner
{
    // Lines kept from a command's output for its error message: the package manager's complaint is at the end.
    private const int TailLines = 6;

    private const string ChrootPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    // Prepares the root inside the namespace. The host's /dev is never bound: the image gets a tmpfs with the standard
    // nodes, so a package script that removes /dev/null cannot touch the host's (xCAT issue #1767).
    private const string PrepareScript = """
        set -e
        root=$1; binds=$2; chroot=$3; shift 3
        for d in proc sys dev run; do [ -d "$root/$d" ] || mkdir -p "$root/$d"; done
        mount -t proc proc "$root/proc"
        mount -t sysfs sysfs "$root/sys"
        mount -t tmpfs -o mode=0755,nosuid dev "$root/dev"
        mknod -m 666 "$root/dev/null" c 1 3
        mknod -m 666 "$root/dev/zero" c 1 5
        mknod -m 666 "$root/dev/full" c 1 7
        mknod -m 666 "$root/dev/random" c 1 8
        mknod -m 666 "$root/dev/urandom" c 1 9
        mknod -m 666 "$root/dev/tty" c 5 0
        mkdir -p "$root/dev/pts" "$root/dev/shm"
        mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
        ln -s pts/ptmx "$root/dev/ptmx"
        ln -s /proc/self/fd "$root/dev/fd"
        ln -s /proc/self/fd/0 "$root/dev/stdin"
        ln -s /proc/self/fd/1 "$root/dev/stdout"
        ln -s /proc/self/fd/2 "$root/dev/stderr"
        mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$root/run"
        while [ "$binds" -gt 0 ]; do
          mkdir -p "$1" "$root$2"
          mount --bind "$1" "$root$2"
          shift 2; binds=$((binds - 1))
        done
        if [ "$chroot" = 1 ]; then exec chroot "$root" "$@"; fi
        exec "$@"
        """;

    private static readonly DedicatedThreadScheduler s_launcher = new(1, "xcatimg command launcher");

    private readonly ILogger _logger;
    private readonly IFileSystem _fileSystem;

    /// <summary>Creates a runner.</summary>
    /// <param name="logger">Receives each command line and the commands' output; none when <see langword="null"/>.</param>
    /// <param name="fileSystem">Where configuration files are written; the real one when <see langword="null"/>.</param>
    public ProcessBuildCommandRunner(ILogger? logger = null, IFileSystem? fileSystem = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _fileSystem = fileSystem ?? new FileSystem();
    }

    /// <inheritdoc />
    public bool IsDryRun => false;

    /// <inheritdoc />
    public async Task RunAsync(BuildCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        Log.BuildCommandRunning(_logger, command.ToString());
        await ExecuteAsync(command, captureOutput: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> QueryAsync(BuildCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        Log.BuildCommandQuerying(_logger, command.ToString());
        return await ExecuteAsync(command, captureOutput: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task WriteFileAsync(string path, string contents, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(contents);
        Log.BuildFileWriting(_logger, path);
        var directory = _fileSystem.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            _fileSystem.Directory.CreateDirectory(directory);
        }

        var file = AtomicFile.Create(_fileSystem, path);
        await using (file.ConfigureAwait(false))
        {
            await file.Stream.WriteAsync(new UTF8Encoding(false).GetBytes(contents), cancellationToken).ConfigureAwait(false);
            await file.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ExecuteAsync(BuildCommand command, bool captureOutput, CancellationToken cancellationToken)
    {
        var start = CreateStartInfo(command);
        Process process;
        try
        {
            // The kernel sends the parent-death signal when the forking *thread* ends, so commands are forked from one
            // thread that lives as long as the process (a thread-pool thread may retire and kill a running build).
            process = await Task.Factory.StartNew(() => Process.Start(start), cancellationToken, TaskCreationOptions.None, s_launcher)
                .ConfigureAwait(false) ?? throw new InvalidOperationException($"Could not start {command.FileName}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{Lead(command)}: could not start {start.FileName}: {ex.Message}", ex);
        }

        using (process)
        {
            var tail = new Queue<string>();
            var captured = new StringBuilder();
            var stdout = PumpAsync(process.StandardOutput, line =>
            {
                if (captureOutput)
                {
                    captured.Append(line).Append('\n');
                }
                else
                {
                    Log.BuildCommandOutput(_logger, command.FileName, line);
                }

                Remember(tail, line);
            });
            var stderr = PumpAsync(process.StandardError, line =>
            {
                Log.BuildCommandOutput(_logger, command.FileName, line);
                Remember(tail, line);
            });
            process.StandardInput.Close();

            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                throw;
            }

            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                string[] lines;
                lock (tail)
                {
                    lines = [.. tail];
                }

                var detail = lines.Length == 0 ? "" : ": " + string.Join(" | ", lines);
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{Lead(command)}: {command.FileName} exited with status {process.ExitCode}{detail}"));
            }

            return captured.ToString();
        }
    }

    private static string Lead(BuildCommand command) => command.FailureMessage ?? $"{command.FileName} failed";

    private static ProcessStartInfo CreateStartInfo(BuildCommand command)
    {
        var privileged = Environment.IsPrivilegedProcess;
        if (command.Root is not null && !privileged)
        {
            throw new InvalidOperationException(
                $"Building an image needs root: '{command}' works in the image root {command.Root} with mounts and chroot.");
        }

        ProcessStartInfo start;
        if (privileged)
        {
            start = new ProcessStartInfo("setpriv");
            foreach (var argument in (string[])["--pdeathsig", "KILL", "unshare", "--mount", "--pid", "--fork", "--kill-child",
                         "--propagation", "private", "--mount-proc"])
            {
                start.ArgumentList.Add(argument);
            }

            if (command.Root is not null)
            {
                start.ArgumentList.Add("/bin/sh");
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add(PrepareScript);
                start.ArgumentList.Add("xcatimg-prepare-root");
                start.ArgumentList.Add(command.Root);
                start.ArgumentList.Add(command.Binds.Count.ToString(CultureInfo.InvariantCulture));
                start.ArgumentList.Add(command.Chroot ? "1" : "0");
                foreach (var bind in command.Binds)
                {
                    start.ArgumentList.Add(bind.HostPath);
                    start.ArgumentList.Add(bind.PathInRoot);
                }
            }

            start.ArgumentList.Add(command.FileName);
        }
        else
        {
            start = new ProcessStartInfo(command.FileName);
        }

        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;
        if (command.WorkingDirectory is not null)
        {
            start.WorkingDirectory = command.WorkingDirectory;
        }

        if (command.Chroot)
        {
            start.Environment["PATH"] = ChrootPath;
        }

        foreach (var (name, value) in command.Environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            onLine(line);
        }
    }

    private static void Remember(Queue<string> tail, string line)
    {
        if (line.Length == 0)
        {
            return;
        }

        lock (tail)
        {
            tail.Enqueue(line.Length > 300 ? line[..300] : line);
            while (tail.Count > TailLines)
            {
                tail.Dequeue();
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }
}
