namespace Xcat.Imaging.Cli.Tests;

public sealed class ReadmeTests
{
    private static string RepositoryFile(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Xcat.Imaging.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine([dir!.FullName, .. parts]);
    }

    [Fact]
    public void QuickStart_InReadme_IsTheCompiledSample()
    {
        // samples/QuickStart is built with the solution, so the README's snippet compiles as long as it is this file.
        var readme = File.ReadAllText(RepositoryFile("README.md"));
        var sample = File.ReadAllText(RepositoryFile("samples", "QuickStart", "Program.cs"));
        readme.Should().Contain("```csharp\n" + sample + "```");
    }

    [Fact]
    public void Readme_StartsWithTheDemoAndTestCommands()
    {
        var lines = File.ReadAllLines(RepositoryFile("README.md"));
        lines[3].Should().StartWith("dotnet run --project samples/Xcat.Imaging.Cli -- demo");
        lines[4].Should().StartWith("./test.sh");
    }
}
