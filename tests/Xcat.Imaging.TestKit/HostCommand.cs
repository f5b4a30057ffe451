using System.Diagnostics;
using System.Text;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.TestKit;

/// <summary>Runs host tools (stat, getfattr, mknod, find, cpio...) as independent oracles for tests.</summary>
public static class HostCommand
{
    /// <summary>Runs <paramref name="fileName"/> and returns its standard output; throws when it exits non-zero.</summary>
    public static string Run(string fileName, params string[] arguments)
    {
        var (exitCode, output, error) = TryRun(fileName, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {exitCode}: {error}");
        }

        return output;
    }

    /// <summary>
    /// Runs <paramref name="fileName"/> in <paramref name="workingDirectory"/> and returns its standard output; throws
    /// when it exits non-zero.
    /// </summary>
    public static string RunIn(string workingDirectory, string fileName, params string[] arguments)
    {
        var (exitCode, output, error) = TryRun(workingDirectory, fileName, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} in {workingDirectory} exited with {exitCode}: {error}");
        }

        return output;
    }

    /// <summary>Runs <paramref name="fileName"/> and returns its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) TryRun(string fileName, params string[] arguments)
        => TryRun(workingDirectory: null, fileName, arguments);

    private static (int ExitCode, string Output, string Error) TryRun(string? workingDirectory, string fileName, string[] arguments)
    {
        HostToolGuard.ThrowIfForbidden(fileName);
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            if (UnixNameEncoding.HasEscapes(argument))
            {
                throw new ArgumentException($"The argument '{DisplayText.Escape(argument)}' is not UTF-8; .NET cannot pass it to a process.", nameof(arguments));
            }

            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["LC_ALL"] = "C";
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Cannot start {fileName}.");
        var errorTask = process.StandardError.ReadToEndAsync();

        // Names in the output are bytes: decoded as a whole with the library's reversible mapping, a name that is
        // not UTF-8 compares equal to the library's string for it (a StreamReader would turn it into U+FFFD).
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        return (process.ExitCode, UnixNameEncoding.GetString(output.GetBuffer().AsSpan(0, (int)output.Length)), errorTask.GetAwaiter().GetResult());
    }

    /// <summary>Whether <paramref name="fileName"/> is found on <c>PATH</c>.</summary>
    public static bool Exists(string fileName)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, fileName)));

    /// <summary>
    /// Creates a Unix domain socket node at <paramref name="path"/>, bound once by python3 and left behind (a .NET
    /// socket deletes its file when disposed).
    /// </summary>
    public static void CreateSocket(string path)
        => Run(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3", "-S", "-c",
            "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])", path);
}
