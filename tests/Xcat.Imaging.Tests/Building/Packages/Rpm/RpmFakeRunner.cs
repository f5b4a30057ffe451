using Xcat.Imaging.Building.Execution;

namespace Xcat.Imaging.Tests.Building.Packages.Rpm;

/// <summary>Records commands and files (a dry run) and answers <c>rpm --eval</c> with a chosen database path.</summary>
internal sealed class RpmFakeRunner(string hostDatabasePath = "/root/.rpmdb") : IBuildCommandRunner
{
    public List<BuildCommand> Commands { get; } = [];

    public List<(string Path, string Contents)> Files { get; } = [];

    /// <summary>Gets or sets a predicate choosing the commands that fail, as a package manager that exits non-zero.</summary>
    public Func<BuildCommand, bool> Fails { get; set; } = _ => false;

    public bool IsDryRun => true;

    public Task RunAsync(BuildCommand command, CancellationToken cancellationToken = default)
    {
        Commands.Add(command);
        return Fails(command) ? Task.FromException(new InvalidOperationException(command.FailureMessage + ": exit 1")) : Task.CompletedTask;
    }

    public Task<string> QueryAsync(BuildCommand command, CancellationToken cancellationToken = default) =>
        Task.FromResult(command.FileName == "rpm" ? hostDatabasePath + "\n" : "");

    public Task WriteFileAsync(string path, string contents, CancellationToken cancellationToken = default)
    {
        Files.Add((path, contents));
        return Task.CompletedTask;
    }

    public IReadOnlyList<string> Lines => Commands.Select(command => command.ToString()).ToList();
}
