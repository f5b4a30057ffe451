using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xcat.Imaging.Exclusion;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Exclusion;

/// <summary>
/// Site exlists of any length (issue 9, item 9): thousands of literal paths, prefixes, directory patterns, globs and
/// re-includes decide exactly what GNU find's <c>-path</c> decides, in time that does not grow with the list.
/// </summary>
public sealed class ExcludeList_LongList_Tests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Parse_150PlainLines_Works()
    {
        var text = string.Join('\n', Enumerable.Range(0, 150).Select(i => $"./usr/share/package{i}/README"));

        var list = ExcludeList.Parse(text);

        list.IsExcluded("./usr/share/package149/README").Should().BeTrue();
        list.IsExcluded("./usr/share/package0/README").Should().BeTrue();
        list.IsExcluded("./usr/share/package150/README").Should().BeFalse();
        list.IsExcluded("./usr/share/package1/README.md").Should().BeFalse();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void IsExcluded_5000VariedLines_DecidesWhatFindDecides()
    {
        var files = CreateTree();
        var (text, excludes, includes) = VariedExlist(5000, files);

        var list = ExcludeList.Parse(text);

        list.Rules.Count.Should().Be(excludes.Count + includes.Count + ExcludeList.StatelitePatterns.Count);
        var all = Find();
        var excluded = Find(excludes);
        var reincluded = Find(includes);
        var expected = excluded.Except(reincluded).ToHashSet(StringComparer.Ordinal);
        expected.Count.Should().BeGreaterThan(500, "the list must exclude a good share of the tree");
        reincluded.Intersect(excluded).Should().NotBeEmpty("some re-includes must matter");
        all.Where(list.IsExcluded).Should().BeEquivalentTo(expected);
        all.Where(list.IsReincluded).Should().BeEquivalentTo(excluded.Intersect(reincluded));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void IsExcluded_5000VariedLines_AsFastAsAShortList()
    {
        var files = CreateTree();
        var (text, _, _) = VariedExlist(5000, files);
        var paths = Enumerable.Range(0, 100_000).Select(i => files[i % files.Count]).ToArray();
        var list = ExcludeList.Parse(text);
        var clock = Stopwatch.StartNew();
        var count = paths.Count(list.IsExcluded);
        clock.Stop();

        count.Should().BeGreaterThan(0);
        // About 20 ms here, like a 30-line list; the bound is loose for a loaded machine, and catches a list scan.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Parse_50000Lines_BuildsQuickly()
    {
        var text = string.Join('\n', Enumerable.Range(0, 50_000).Select(i => $"./usr/lib/modules/{i % 97}/kernel/drivers/module{i}.ko*"));
        var clock = Stopwatch.StartNew();

        var list = ExcludeList.Parse(text);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        list.IsExcluded("./usr/lib/modules/5/kernel/drivers/module49999.ko.xz").Should().BeFalse();
        list.IsExcluded($"./usr/lib/modules/{49999 % 97}/kernel/drivers/module49999.ko.xz").Should().BeTrue();
    }

    [Fact]
    public void Parse_LongerThanTheLimit_ThrowsInvalidData()
    {
        var text = string.Join('\n', Enumerable.Range(0, ExcludeList.MaxExpandedLines + 1).Select(static i => "./x" + i));
        var act = () => ExcludeList.Parse(text);
        act.Should().Throw<InvalidDataException>().WithMessage($"*longer than {ExcludeList.MaxExpandedLines} lines*");
    }

    /// <summary>A few thousand files under package directories, as a root image has them.</summary>
    private List<string> CreateTree()
    {
        var files = new List<string>();
        for (var p = 0; p < 60; p++)
        {
            foreach (var area in new[] { "usr/share", "usr/lib", "opt", "var/cache" })
            {
                for (var f = 0; f < 12; f++)
                {
                    var name = (f % 4) switch
                    {
                        0 => $"file{f}.txt",
                        1 => $"lib{f}.so.{p % 3}",
                        2 => $"doc/page{f}.html",
                        _ => $"tests/test_{f}.py",
                    };
                    files.Add($"{area}/pkg{p}/{name}");
                }
            }
        }

        files.AddRange(["usr/lib/python3.11/site-packages/mod/x.pyc", "usr/lib/python3.12/site-packages/mod/y.pyc", "x[1]", "star*name", "back.bak"]);
        foreach (var file in files)
        {
            var path = Path.Combine(_temp.Path, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }

        return [.. Find()];
    }

    /// <summary>
    /// An exlist of <paramref name="count"/> rules: literal paths, <c>prefix*</c>, <c>dir/*</c>, globs in the middle,
    /// brackets, escapes, a few globs from the root, and re-includes; with comments and blank lines between them.
    /// </summary>
    private static (string Text, List<string> Excludes, List<string> Includes) VariedExlist(int count, List<string> files)
    {
        var random = new Random(9);
        files = [.. files.Where(static f => f.Count(static c => c == '/') >= 2)];
        var excludes = new List<string>();
        var includes = new List<string>();
        var text = new StringBuilder("# a site exlist\n");
        for (var i = 0; i < count; i++)
        {
            var file = files[random.Next(files.Count)];
            var directory = file[..file.LastIndexOf('/')];
            string pattern = (i % 10) switch
            {
                0 or 1 or 2 => file,
                3 => directory + "*",
                4 => directory + "/*",
                5 => directory.Replace("/pkg", "/pk?", StringComparison.Ordinal) + "/*.txt",
                6 => "./" + string.Create(CultureInfo.InvariantCulture, $"{directory[2..].Split('/')[0]}/*/pkg{random.Next(60)}/[dt]*"),
                7 => file.Replace("lib", "l[i]b", StringComparison.Ordinal) + "*",
                8 => i % 1000 == 8 ? "*.bak" : i % 1000 == 18 ? @"./x\[1\]" : i % 1000 == 28 ? @"*\**" : $"./nothing/{i}/here",
                _ => "+" + directory + "/file*",
            };
            if (pattern.StartsWith('+'))
            {
                includes.Add(pattern[1..]);
            }
            else
            {
                excludes.Add(pattern);
            }

            text.Append(pattern).Append('\n');
            if (i % 250 == 0)
            {
                text.Append("\n# section ").Append(i).Append('\n');
            }
        }

        return (text.ToString(), excludes, includes);
    }

    /// <summary>What <c>find . \( -path P1 -o -path P2 ... \) -print0</c> selects: every path when no pattern is given.</summary>
    private List<string> Find(List<string>? patterns = null)
    {
        List<string> arguments = ["."];
        if (patterns is not null)
        {
            arguments.Add("(");
            for (var i = 0; i < patterns.Count; i++)
            {
                if (i > 0)
                {
                    arguments.Add("-o");
                }

                arguments.Add("-path");
                arguments.Add(patterns[i]);
            }

            arguments.Add(")");
        }

        arguments.Add("-print0");
        return [.. HostCommand.RunIn(_temp.Path, "find", [.. arguments]).Split('\0', StringSplitOptions.RemoveEmptyEntries)];
    }
}
