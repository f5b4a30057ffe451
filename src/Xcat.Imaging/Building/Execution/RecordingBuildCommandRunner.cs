namespace Xcat.Imaging.Building.Execution;

/// <summary>
/// The dry-run runner (<c>genimage --dryrun</c>): records every command and configuration file in <see cref="Steps"/>
/// and runs nothing. Queries go to an optional inner runner (they change nothing), else return empty output.
/// </summary>
public sealed class RecordingBuildCommandRunner : IBuildCommandRunner
{
    private readonly List<BuildPlanStep> _steps = [];
    private readonly IBuildCommandRunner? _queries;

    /// <summary>Creates a recording runner.</summary>
    /// <param name="queryRunner">Answers <see cref="QueryAsync"/>; <see langword="null"/> to answer every query with empty output.</param>
    public RecordingBuildCommandRunner(IBuildCommandRunner? queryRunner = null) => _queries = queryRunner;

    /// <inheritdoc />
    public bool IsDryRun => true;

    /// <summary>Gets the recorded steps, in order.</summary>
    public IReadOnlyList<BuildPlanStep> Steps => _steps;

    /// <inheritdoc />
    public Task RunAsync(BuildCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        cancellationToken.ThrowIfCancellationRequested();
        _steps.Add(new BuildPlanStep(command, null, null));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string> QueryAsync(BuildCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return _queries?.QueryAsync(command, cancellationToken) ?? Task.FromResult("");
    }

    /// <inheritdoc />
    public Task WriteFileAsync(string path, string contents, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(contents);
        cancellationToken.ThrowIfCancellationRequested();
        _steps.Add(new BuildPlanStep(null, path, contents));
        return Task.CompletedTask;
    }
}
