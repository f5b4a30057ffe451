using System.Text.RegularExpressions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests;

/// <summary>
/// The house rules of docs/architecture.md that a compiler does not check, checked on the sources: namespaces that do
/// not import each other in a circle, and each format's magic numbers and the rootimg names in one place.
/// </summary>
public sealed partial class ArchitectureTests
{
    public static TheoryData<string> Libraries => new() { "Xcat.Imaging", "Xcat.Imaging.Bundles" };

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Namespaces_BelowTheRoot_ImportEachOtherInNoCircle(string library)
    {
        var sources = Sources(library);
        var children = sources.Select(static s => s.Namespace).Where(n => n.StartsWith(library + ".", StringComparison.Ordinal))
            .Select(n => n[(library.Length + 1)..].Split('.')[0]).ToHashSet(StringComparer.Ordinal);
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (_, ns, code) in sources)
        {
            if (!ns.StartsWith(library + ".", StringComparison.Ordinal))
            {
                continue; // the root namespace holds what every layer shares (progress, display text, logging)
            }

            var from = ns[(library.Length + 1)..].Split('.')[0];
            foreach (var to in children.Where(c => c != from && References(code, library, c)))
            {
                (edges.TryGetValue(from, out var set) ? set : edges[from] = new(StringComparer.Ordinal)).Add(to);
            }
        }

        children.Should().NotBeEmpty();
        FindCycle(edges).Should().BeNull("no two namespaces of {0} may depend on each other, even through others", library);
    }

    [Fact]
    public void CompressionMagic_IsOnlyInTheCompressionDetector()
    {
        var magic = CompressionMagic();
        Sources("Xcat.Imaging").Concat(Sources("Xcat.Imaging.Bundles"))
            .Where(s => magic.IsMatch(s.Code)).Select(static s => s.Path)
            .Should().Equal(Path.Combine("src", "Xcat.Imaging", "Compression", "CompressionDetector.cs"));
    }

    [Fact]
    public void CpioMagic_IsOnlyInCpio()
    {
        var magic = CpioMagic();
        Sources("Xcat.Imaging").Concat(Sources("Xcat.Imaging.Bundles"))
            .Where(s => magic.IsMatch(s.Code)).Select(static s => s.Path)
            .Should().OnlyContain(p => p.StartsWith(Path.Combine("src", "Xcat.Imaging", "Cpio") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .And.NotBeEmpty();
    }

    [Fact]
    public void RootImageArchiveNames_AreListedOnlyInRootImageFiles()
    {
        var names = ArchiveName();
        Sources("Xcat.Imaging").Concat(Sources("Xcat.Imaging.Bundles"))
            .Where(s => names.IsMatch(s.Code)).Select(static s => s.Path)
            .Should().Equal(Path.Combine("src", "Xcat.Imaging", "Packing", "RootImageFiles.cs"));
    }

    private static bool References(string code, string library, string child) =>
        code.Contains($"{library}.{child};", StringComparison.Ordinal)
        || code.Contains($"{library}.{child}.", StringComparison.Ordinal)
        || Regex.IsMatch(code, $@"(?<![\w.""]){child}\.[A-Z]\w*\b");

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> edges)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        List<string>? Visit(string node, List<string> path)
        {
            if (path.Contains(node))
            {
                return [.. path[path.IndexOf(node)..], node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next, path) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return edges.Keys.Select(k => Visit(k, [])).FirstOrDefault(static c => c is not null);
    }

    /// <summary>Every C# file of a library: its path below the root, its namespace, and its code without comments.</summary>
    private static List<(string Path, string Namespace, string Code)> Sources(string library)
    {
        var root = RepositoryPaths.Combine("src", library);
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f[root.Length..].Split(Path.DirectorySeparatorChar).Any(static d => d is "obj" or "bin"))
            .Order(StringComparer.Ordinal)
            .Select(f =>
            {
                var code = LineComment().Replace(File.ReadAllText(f), string.Empty);
                var ns = FileNamespace().Match(code) is { Success: true } m ? m.Groups[1].Value : library;
                return (Path.GetRelativePath(RepositoryPaths.Root, f), ns, code);
            })
            .ToList();
    }

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    // gzip 1f 8b, xz fd 37 7a 58 5a, zstd 28 b5 2f fd, bzip2 "BZh", lz4 legacy 02 21 4c 18, as byte literals.
    [GeneratedRegex(@"0x1f,\s*0x8b|0xfd,\s*(0x37|\(byte\)'7')|0x28,\s*0xb5|""BZh""u8|0x02,\s*0x21,\s*0x4c", RegexOptions.IgnoreCase)]
    private static partial Regex CompressionMagic();

    [GeneratedRegex(@"""07070[127]""u8|0xC7,\s*0x71|0x71,\s*0xC7", RegexOptions.IgnoreCase)]
    private static partial Regex CpioMagic();

    [GeneratedRegex(@"""rootimg\.(cpio|tar|sfs|gz)")]
    private static partial Regex ArchiveName();
}
