using System.Diagnostics;

namespace Xcat.Imaging.TestKit;

/// <summary>Runs an external program (GNU cpio, bsdtar, qemu, ...) and captures its output.</summary>
public static class ExternalTool
{
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

    public static bool Exists(string program)
        => Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(dir => File.Exists(Path.Combine(dir, program))) == true;
}

public sealed record ToolResult(int ExitCode, byte[] StandardOutput, string StandardError)
{
    public string Output => System.Text.Encoding.UTF8.GetString(StandardOutput);

    public ToolResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"Exit code {ExitCode}: {StandardError}");
        }

        return this;
    }
}
