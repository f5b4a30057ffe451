namespace Xcat.Imaging.Building.Execution;

/// <summary>
/// Runs the external commands of an image build and writes its configuration files, or, for a dry run, only records
/// them. Every installer and initrd generator goes through this seam, so a plan and a build are the same code.
/// </summary>
public interface IBuildCommandRunner
{
    /// <summary>Gets whether commands are only recorded (a dry run), not run.</summary>
    bool IsDryRun { get; }

    /// <summary>Runs <paramref name="command"/>, its output streamed to the log line by line.</summary>
    /// <param name="command">The command.</param>
    /// <param name="cancellationToken">Cancels the command: it is killed with everything it started.</param>
    /// <returns>A task that completes when the command has exited with status 0.</returns>
    /// <exception cref="InvalidOperationException">The command exited non-zero or could not be started; the message
    /// leads with <see cref="BuildCommand.FailureMessage"/> and quotes the last lines it wrote to stderr (where a package
    /// manager names the missing package).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task RunAsync(BuildCommand command, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="command"/> and returns its standard output (a query such as <c>dpkg-query</c>); runs even in a dry run.</summary>
    /// <param name="command">The command; it must not change anything.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The standard output, as UTF-8 text.</returns>
    /// <exception cref="InvalidOperationException">The command exited non-zero or could not be started.</exception>
    Task<string> QueryAsync(BuildCommand command, CancellationToken cancellationToken = default);

    /// <summary>Writes a configuration file (a repo file, sources.list): atomically, or in a dry run only recorded with its content.</summary>
    /// <param name="path">The file's absolute path.</param>
    /// <param name="contents">The text, written as UTF-8 without a byte-order mark.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    Task WriteFileAsync(string path, string contents, CancellationToken cancellationToken = default);
}
