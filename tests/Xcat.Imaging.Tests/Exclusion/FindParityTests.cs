using Xcat.Imaging.Exclusion;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Exclusion;

/// <summary>Each pattern must select exactly what GNU <c>find . -path PATTERN</c> selects on a real tree.</summary>
[Trait("Category", "Interop")]
public sealed class FindParityTests : IDisposable
{
    private static readonly string[] s_files =
    [
        "a/b/c.txt", "a/bc", "abc", "a.b", "a/.hidden", ".hidden/x", "dir/sub/file", "dir/sub2", "x[1]", "x1", "y?z", "yaz",
        "sp ace/f", "star*name", "b-c", "b_c", "UPPER", "d1/d2/d3/e", "new\nline", "]x", "back\\slash", "usr/share/man/man1/ls.1.gz",
        "usr/share/locale/en_US/LC_MESSAGES/a.mo", "usr/share/locale/de/a.mo", "boot/vmlinuz", "bootstrap",
    ];

    private readonly TempDirectory _temp = new();

    public FindParityTests()
    {
        foreach (var file in s_files)
        {
            var path = Path.Combine(_temp.Path, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("*")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("./a")]
    [InlineData("./a/")]
    [InlineData("./a*")]
    [InlineData("./a/*")]
    [InlineData("a/*")]
    [InlineData("*c")]
    [InlineData("./a?b*")]
    [InlineData("./?/*")]
    [InlineData("*/b/*")]
    [InlineData("./[a-c]*")]
    [InlineData("./[!a]*")]
    [InlineData("./[^a-c]*")]
    [InlineData("./a[./]b*")]
    [InlineData("*[[:digit:]]*")]
    [InlineData("*[[:upper:]]*")]
    [InlineData("*[[:space:]]*")]
    [InlineData("*[[:bogus:]]*")]
    [InlineData(@"./x\[1\]")]
    [InlineData("./x[1]")]
    [InlineData(@"./y\?z")]
    [InlineData("./y?z")]
    [InlineData("*.txt")]
    [InlineData("./d1*")]
    [InlineData("./d1/*/e")]
    [InlineData("./d1/d2")]
    [InlineData("*/.hidden*")]
    [InlineData("./.*")]
    [InlineData("./[]x]*")]
    [InlineData("./[!]]*")]
    [InlineData("*[")]
    [InlineData("./x[")]
    [InlineData("./x[1")]
    [InlineData("*sub*")]
    [InlineData("./dir/sub?")]
    [InlineData(@"*\*name*")]
    [InlineData("*\\")]
    [InlineData(@"*\\*")]
    [InlineData("./[z-a]*")]
    [InlineData("./[a-]*")]
    [InlineData("./[[.a.]]*")]
    [InlineData("./usr/share/locale/*")]
    [InlineData("./usr/share/man*")]
    [InlineData("./boot")]
    [InlineData("./boot*")]
    [InlineData("./**/ls*")]
    [InlineData("*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*")]
    public void IsMatch_Pattern_SelectsWhatFindSelects(string pattern)
    {
        var all = Find("-print0");
        var expected = Find("-path", pattern, "-print0");

        var rule = ExcludeRule.Exclude(pattern);
        all.Where(rule.IsMatch).Should().BeEquivalentTo(expected);
        ExcludeList.Create([rule]).IsExcluded(".").Should().Be(expected.Contains("."));
    }

    private List<string> Find(params string[] arguments)
        => [.. HostCommand.RunIn(_temp.Path, "find", [".", .. arguments]).Split('\0', StringSplitOptions.RemoveEmptyEntries)];
}
