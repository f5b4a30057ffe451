namespace Xcat.Imaging.TestKit;

/// <summary>Files of the repository the tests were built from, for tests that check the sources and documents themselves.</summary>
public static class RepositoryPaths
{
    /// <summary>Gets the repository's root: the nearest directory above the test binaries that holds <c>Xcat.Imaging.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Returns the path of a file or directory under the root.</summary>
    /// <param name="parts">The path's components below the root.</param>
    /// <returns>The full path.</returns>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Xcat.Imaging.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"No Xcat.Imaging.sln above {AppContext.BaseDirectory}.");
    }
}
