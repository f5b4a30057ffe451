namespace Xcat.Imaging.Building.Execution;

/// <summary>POSIX shell quoting for showing commands (dry runs, logs); commands themselves always run as argv.</summary>
public static class ShellQuoting
{
    /// <summary>Quotes <paramref name="value"/> for a POSIX shell unless it holds only safe characters.</summary>
    /// <param name="value">The word.</param>
    /// <returns>The word, single-quoted when needed.</returns>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value.All(IsSafe))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static bool IsSafe(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '+' or ',' or '@' or '%';
}
