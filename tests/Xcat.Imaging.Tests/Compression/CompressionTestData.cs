using System.Text;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Compression;

/// <summary>Deterministic compressible data and helpers to run the compression tools.</summary>
internal static class CompressionTestData
{
    /// <summary>
    /// Text and binary-looking records in the proportions of a root filesystem: repeated words and paths (compress well)
    /// mixed with noisy runs (compress badly), so ratios behave like real data.
    /// </summary>
    public static byte[] Create(int length, int seed = 1)
    {
        var random = new Random(seed);
        var words = Enumerable.Range(0, 1500).Select(_ => RandomWord(random)).ToArray();
        var output = new MemoryStream(length + 4096);
        var line = new StringBuilder();
        while (output.Length < length)
        {
            if (random.Next(10) < 3)
            {
                // A short binary record: a little structure, mostly noise.
                var record = new byte[random.Next(64, 2048)];
                random.NextBytes(record);
                for (var i = 0; i < record.Length; i += 8)
                {
                    record[i] = 0;
                }

                output.Write(record);
                continue;
            }

            line.Clear();
            var count = random.Next(4, 16);
            for (var i = 0; i < count; i++)
            {
                line.Append(i % 5 == 4 ? "/usr/share/" : " ").Append(words[(int)Math.Sqrt(random.Next(words.Length * words.Length))]);
            }

            output.Write(Encoding.ASCII.GetBytes(line.Append('\n').ToString()));
        }

        return output.ToArray().AsSpan(0, length).ToArray();
    }

    /// <summary>Runs a tool with <paramref name="input"/> on stdin and returns its exit code and stdout.</summary>
    public static (int ExitCode, byte[] Output, string Error) Run(string fileName, string arguments, byte[]? input = null)
    {
        using var standardInput = new MemoryStream(input ?? []);
        var result = ExternalTool.RunAsync(fileName, arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), standardInput: standardInput)
            .GetAwaiter().GetResult();
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Runs a tool that must succeed and returns its stdout.</summary>
    public static byte[] RunChecked(string fileName, string arguments, byte[]? input = null)
    {
        var (exitCode, output, error) = Run(fileName, arguments, input);
        exitCode.Should().Be(0, $"{fileName} {arguments} failed: {error}");
        return output;
    }

    private static string RandomWord(Random random)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz_-.0123456789";
        var chars = new char[random.Next(2, 12)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = letters[random.Next(i == 0 ? 26 : letters.Length)];
        }

        return new string(chars);
    }
}
