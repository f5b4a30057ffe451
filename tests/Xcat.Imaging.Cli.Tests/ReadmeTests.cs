using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

public sealed class ReadmeTests
{
    private static string RepositoryFile(params string[] parts) => RepositoryPaths.Combine(parts);

    [Fact]
    public void QuickStart_InReadme_IsTheCompiledSample()
    {
        // samples/QuickStart is built with the solution, so the README's snippet compiles as long as it is this file.
        var readme = File.ReadAllText(RepositoryFile("README.md"));
        var sample = File.ReadAllText(RepositoryFile("samples", "QuickStart", "Program.cs"));
        readme.Should().Contain("```csharp\n" + sample + "```");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task QuickStart_RunsTwiceInAFreshDirectory_AndCreatesWhatItUses()
    {
        using var temp = new TempDirectory();
        // Built with the solution, in the configuration the tests run in.
        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var sample = RepositoryFile("samples", "QuickStart", "bin", configuration, "net10.0", "QuickStart.dll");

        for (var run = 1; run <= 2; run++)
        {
            var result = await ExternalTool.RunAsync("dotnet", [sample], temp.Path, null, TimeSpan.FromMinutes(2));
            result.ExitCode.Should().Be(0, $"run {run} printed: {result.Output}{result.StandardError}");
            result.Output.Should().Contain("imported rhels9.4-x86_64-netboot-compute2").And.Contain($"{temp.Path}/install/netboot/rhels9.4/x86_64/compute\n");
        }

        File.Exists(Path.Combine(temp.Path, "install", "netboot", "rhels9.4", "x86_64", "compute2", "rootimg.cpio.gz")).Should().BeTrue();
    }

    [Fact]
    public void Readme_StartsWithTheDemoAndTestCommands()
    {
        var lines = File.ReadAllLines(RepositoryFile("README.md"));
        lines[3].Should().StartWith("dotnet run --project samples/Xcat.Imaging.Cli -- demo");
        lines[4].Should().StartWith("./test.sh");
    }
}
