using System.Diagnostics;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

/// <summary>
/// Ctrl-C (SIGINT) stops a verb with exit 130, one line, and nothing half-written (issue 11, item 7). The archive comes
/// through a FIFO that never ends, so the only way out is the interrupt: no timing decides the outcome.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Unpack_Interrupted_Exits130_WithOneLine_AndLeavesNoTree()
    {
        var fifo = _temp.Combine("endless.tar");
        HostCommand.Run("mkfifo", fifo);
        var destination = _temp.Combine("dest");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _temp.Path };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "xcatimg.dll"), "unpack", fifo, "-C", destination })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            // Opening the FIFO for writing returns once xcatimg has opened it for reading: it is extracting.
            await using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None))
            {
                await writer.WriteAsync(EndlessMemberHeader(), guard.Token);
                await writer.FlushAsync(guard.Token);
                HostCommand.Run("kill", "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var zeros = new byte[64 * 1024];
                try
                {
                    // The member never ends: xcatimg stops only on the interrupt, then the pipe breaks.
                    while (!process.HasExited)
                    {
                        await writer.WriteAsync(zeros, guard.Token);
                    }
                }
                catch (IOException)
                {
                }
            }
        }
        catch (IOException)
        {
        }

        await process.WaitForExitAsync(guard.Token);

        process.ExitCode.Should().Be(130, await stderr);
        (await stderr).Should().Be("Error: Interrupted; nothing was written.\n");
        (await stdout).Should().BeEmpty();
        Directory.Exists(destination).Should().BeFalse();
        Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).Should().Equal(["endless.tar"], "no staging directory is left");
    }

    [Fact]
    public async Task Verb_CancelledInProcess_Exits130_AndWritesNoArchive()
    {
        using var cli = new CliHarness();
        var root = Path.Combine(cli.Root, "tree");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        await File.WriteAllTextAsync(Path.Combine(root, "etc", "hostname"), "n\n");
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            GetEnvironmentVariable = static _ => null,
            WorkingDirectory = cli.Root,
            LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        };
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var exitCode = await CliApplication.RunAsync(["--catalog", cli.CatalogPath, "pack", root, "-o", "x.cpio.gz"], context, cancelled.Token);

        exitCode.Should().Be(130);
        error.ToString().Should().Be("Error: Interrupted; nothing was written.\n");
        Directory.GetFiles(cli.Root).Should().BeEmpty();
    }

    // A ustar header for a 4 GiB regular file: the data that follows it never reaches its end.
    private static byte[] EndlessMemberHeader()
    {
        var header = new RawTar().File("big", "x").ToArray()[..RawTar.BlockSize];
        RawTar.Octal(header, 124, 12, 4L << 30);
        RawTar.SetChecksum(header);
        return header;
    }
}
