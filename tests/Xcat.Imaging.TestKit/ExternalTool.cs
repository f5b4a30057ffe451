using System.Diagnostics;

namespace Xcat.Imaging.TestKit;

/// <summary>Runs an external program (GNU cpio, bsdtar, qemu, ...) and captures its output.</summary>
public static class ExternalTool
{
    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="args"/>, feeding it <paramref name="standardInput"/> when
    /// given, and kills it when it outlasts <paramref name="timeout"/> (five minutes unless told).
    /// </summary>
    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> args, string? workingDirectory = null,
        Stream? standardInput = null, TimeSpan? timeout = null)
    {
        HostToolGuard.ThrowIfForbidden(program);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await standardInput.CopyToAsync(process.StandardInput.BaseStream);
            process.StandardInput.Close();
        }

        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in time.");
        }

        await copyOut;
        return new ToolResult(process.ExitCode, stdout.ToArray(), await stderr);
    }

    /// <summary>Runs a shell command line with bash -c.</summary>
    public static Task<ToolResult> ShellAsync(string commandLine, string? workingDirectory = null, TimeSpan? timeout = null)
        => RunAsync("bash", ["-c", commandLine], workingDirectory, null, timeout);
}
