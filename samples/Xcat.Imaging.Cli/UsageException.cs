namespace Xcat.Imaging.Cli;

/// <summary>A command-line mistake: reported with the verb's usage and exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
