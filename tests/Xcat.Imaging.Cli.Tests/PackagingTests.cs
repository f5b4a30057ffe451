using System.IO.Compression;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

/// <summary>
/// The two NuGet packages as a user gets them: packed (package validation runs as part of pack), Bundles pinned to
/// the exact core version, a README written for NuGet, and no back door between them.
/// </summary>
[Trait("Category", "Interop")]
public sealed class PackagingTests
{
    [Fact]
    public void Core_GrantsBundlesNoInternals()
    {
        typeof(Xcat.Imaging.DisplayText).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName).Should().NotContain("Xcat.Imaging.Bundles");
    }

    [Fact]
    public async Task Pack_BothPackages_ValidateAndDescribeThemselves()
    {
        using var temp = new TempDirectory();
        var root = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        foreach (var project in new[] { "Xcat.Imaging", "Xcat.Imaging.Bundles" })
        {
            var result = await ExternalTool.RunAsync("dotnet", ["pack", Path.Combine(root, "src", project, project + ".csproj"), "-c", configuration, "-o", temp.Path],
                root, null, TimeSpan.FromMinutes(5));
            result.ExitCode.Should().Be(0, result.Output + result.StandardError);
        }

        var core = Nuspec(Directory.GetFiles(temp.Path, "Xcat.Imaging.0*.nupkg").Single(), out var coreReadme);
        var bundles = Nuspec(Directory.GetFiles(temp.Path, "Xcat.Imaging.Bundles.0*.nupkg").Single(), out var bundlesReadme);
        var version = core.Descendants().Single(e => e.Name.LocalName == "version").Value;
        bundles.Descendants().Single(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "Xcat.Imaging")
            .Attribute("version")!.Value.Should().Be($"[{version}]", "Bundles is built against one core version");
        foreach (var (nuspec, readme) in new[] { (core, coreReadme), (bundles, bundlesReadme) })
        {
            nuspec.Descendants().Single(e => e.Name.LocalName == "repository").Attribute("url")!.Value.Should().StartWith("https://");
            nuspec.Descendants().Single(e => e.Name.LocalName == "tags").Value.Should().Contain("xcat");
            nuspec.Descendants().Single(e => e.Name.LocalName == "description").Value.Should().Contain("Linux");
            readme.Should().Contain("dotnet add package").And.Contain("Linux only").And.NotContain("dotnet run --project");
        }

        coreReadme.Should().Contain("libz.so.1").And.Contain("liblzma.so.5");
    }

    private static XDocument Nuspec(string package, out string readme)
    {
        using var zip = ZipFile.OpenRead(package);
        using (var reader = new StreamReader(zip.GetEntry("README.md")!.Open()))
        {
            readme = reader.ReadToEnd();
        }

        using var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(nuspec);
    }

    private static string RepositoryRoot() => RepositoryPaths.Root;
}
