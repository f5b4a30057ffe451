namespace Xcat.Imaging.Cli;

/// <summary>Words an exception as the one line a user reads: no parameter names, stack traces or temp-file names.</summary>
internal static class CliErrors
{
    public static string Describe(Exception ex, CliContext context)
    {
        _ = context;
        return CliApplication.UserMessage(ex);
    }
}
