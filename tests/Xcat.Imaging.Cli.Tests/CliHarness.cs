using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

/// <summary>Runs xcatimg in-process on a temporary catalog, or as a real process.</summary>
internal sealed class CliHarness : IDisposable
{
    private readonly TempDirectory _temp = new();

    public string Root => _temp.Path;

    public string CatalogPath => _temp.Combine("catalog.db");

    public string InstallDir => _temp.Combine("install");

    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Whether the in-process run pretends that stdout is a terminal.</summary>
    public bool OutputIsTerminal { get; set; }

    /// <summary>Whether the in-process run pretends that stderr is a terminal, so that progress bars are drawn.</summary>
    public bool ErrorIsTerminal { get; set; }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
            WorkingDirectory = Root,
            LoggerFactory = NullLoggerFactory.Instance,
            IsOutputTerminal = OutputIsTerminal,
            IsTerminal = ErrorIsTerminal,
        };
        string[] global = ["--catalog", CatalogPath, "--install-dir", InstallDir];
        var exitCode = await CliApplication.RunAsync([.. global, .. args], context, CancellationToken.None);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the built xcatimg as its own process (dotnet xcatimg.dll).</summary>
    public static Task<CliResult> RunProcessAsync(string workingDirectory, params string[] args) =>
        RunProcessAsync(workingDirectory, ProcessLimits.None, args);

    /// <summary>
    /// Runs the built xcatimg as its own process under a GC heap cap and a wall-clock limit, so that a case that
    /// exhausts memory or hangs fails its test (exit code or <see cref="TimeoutException"/>) instead of the machine.
    /// </summary>
    public static async Task<CliResult> RunProcessAsync(string workingDirectory, ProcessLimits limits, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "xcatimg.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (limits.HeapBytes is { } heap)
        {
            start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + heap.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (name, value) in limits.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limits.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"xcatimg {string.Join(' ', args)} did not finish within {limits.Timeout}; stderr: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Adds the test kit's sample definitions (six Debian 12 and RHEL 9.4 images) to the catalog, under <see cref="InstallDir"/>.</summary>
    public Task AddSampleDefinitionsAsync() => SampleDefinitions.AddToSqliteAsync(CatalogPath, InstallDir);

    public void Dispose() => _temp.Dispose();
}

/// <summary>Limits for <see cref="CliHarness.RunProcessAsync(string, ProcessLimits, string[])"/>.</summary>
internal sealed record ProcessLimits(TimeSpan Timeout, long? HeapBytes = null)
{
    /// <summary>No heap cap; ten minutes.</summary>
    public static ProcessLimits None { get; } = new(TimeSpan.FromMinutes(10));

    /// <summary>For hostile-input cases: a 256 MiB GC heap and two minutes.</summary>
    public static ProcessLimits Hostile { get; } = new(TimeSpan.FromMinutes(2), 256L << 20);

    /// <summary>Extra environment variables for the child.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public CliResult ShouldSucceed()
    {
        ExitCode.Should().Be(0, $"stderr was: {Error}");
        Error.Should().BeEmpty();
        return this;
    }

    public CliResult ShouldFail(string messagePart)
    {
        ExitCode.Should().NotBe(0);
        Error.Should().StartWith("Error: ").And.Contain(messagePart);
        return this;
    }
}
