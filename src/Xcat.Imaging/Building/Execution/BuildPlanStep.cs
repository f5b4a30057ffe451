namespace Xcat.Imaging.Building.Execution;

/// <summary>One step of a dry run's plan: a command that would run, or a configuration file that would be written.</summary>
/// <param name="Command">The command, or <see langword="null"/> for a file.</param>
/// <param name="FilePath">The file's path, or <see langword="null"/> for a command.</param>
/// <param name="FileContents">The file's text, or <see langword="null"/> for a command.</param>
public sealed record BuildPlanStep(BuildCommand? Command, string? FilePath, string? FileContents)
{
    /// <summary>Gets the step as a plan prints it: the shell-quoted command line, or <c>write PATH</c> followed by the file's lines indented.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        if (Command is not null)
        {
            return Command.ToString();
        }

        var lines = (FileContents ?? "").TrimEnd('\n').Split('\n');
        return "write " + ShellQuoting.Quote(FilePath ?? "") + "\n" + string.Join("\n", lines.Select(line => "    " + line));
    }
}
