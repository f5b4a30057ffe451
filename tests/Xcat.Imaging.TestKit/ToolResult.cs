namespace Xcat.Imaging.TestKit;

/// <summary>What an <see cref="ExternalTool"/> run left: its exit code, standard output as bytes and standard error.</summary>
public sealed record ToolResult(int ExitCode, byte[] StandardOutput, string StandardError)
{
    /// <summary>Gets standard output decoded as UTF-8 (for tools whose output is text, not names).</summary>
    public string Output => System.Text.Encoding.UTF8.GetString(StandardOutput);

    /// <summary>Returns this result, or throws naming the exit code and standard error when the tool failed.</summary>
    public ToolResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"Exit code {ExitCode}: {StandardError}");
        }

        return this;
    }
}
