using BenchmarkDotNet.Attributes;
using Xcat.Imaging.Exclusion;

namespace Xcat.Imaging.Benchmarks;

/// <summary>
/// Exlist matching over 100,000 real paths (<c>find /usr</c> as <c>./usr/...</c>, repeated under other roots when
/// the machine has fewer) against a compute-node exlist in the style xCAT ships (spec §3.4), and against a site list
/// of 5,000 lines drawn from the same paths: literal paths, <c>dir*</c>, <c>dir/*</c>, globs with <c>?</c>, <c>*</c>
/// and brackets in the middle, a few globs from the root, and re-includes.
/// </summary>
[MemoryDiagnoser]
public class ExcludeListBenchmarks
{
    private const string ComputeExlist = """
        ./boot*
        ./usr/include*
        ./usr/local/include*
        ./usr/local/share/man*
        ./usr/lib/locale*
        ./usr/lib64/perl5/Encode/CN*
        ./usr/lib64/perl5/Encode/JP*
        ./usr/lib64/perl5/Encode/KR*
        ./usr/lib64/perl5/Encode/TW*
        ./lib/kbd/keymaps/i386*
        ./lib/kbd/keymaps/mac*
        ./usr/share/man*
        ./usr/share/doc*
        ./usr/share/info*
        ./usr/share/gnome*
        ./usr/share/omf*
        ./usr/share/cracklib*
        ./usr/share/i18n*
        +./usr/share/i18n/en_US*
        ./usr/share/locale/*
        +./usr/share/locale/en_US*
        +./usr/share/locale/C*
        +./usr/share/locale/locale.alias
        +./usr/lib/locale/locale-archive
        +./usr/lib/locale/en*
        +./usr/lib/locale/C*
        ./usr/share/vim/vim*/doc*
        ./usr/share/zoneinfo*
        ./var/cache/man*
        ./var/lib/yum*
        ./tmp*
        """;

    private ExcludeList _list = ExcludeList.Default;
    private ExcludeList _longList = ExcludeList.Default;
    private string _longText = string.Empty;
    private string[] _paths = [];

    [Params(100_000)]
    public int Paths { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _list = ExcludeList.Parse(ComputeExlist);
        // Symbolic links are skipped, not followed: /usr has link cycles. The cap bounds memory on any machine.
        var real = Directory.EnumerateFileSystemEntries("/usr", "*", new EnumerationOptions
            {
                RecurseSubdirectories = true,
                IgnoreInaccessible = true,
                AttributesToSkip = FileAttributes.ReparsePoint,
            })
            .Take(Paths)
            .Order(StringComparer.Ordinal)
            .Select(p => "." + p)
            .ToList();
        string[] roots = ["", "/opt/a", "/opt/b", "/opt/c"];
        _paths = [.. roots.SelectMany(root => real.Select(p => root.Length == 0 ? p : "." + root + p[1..])).Take(Paths)];
        Console.WriteLine($"// {_paths.Length} paths, {_paths.Count(_list.IsExcluded)} excluded, {_paths.Count(_list.IsReincluded)} re-included");
        _longText = LongExlist(_paths, 5000);
        _longList = ExcludeList.Parse(_longText);
        Console.WriteLine($"// long list: {_longList.Rules.Count} rules, {_paths.Count(_longList.IsExcluded)} excluded, {_paths.Count(_longList.IsReincluded)} re-included");
    }

    [Benchmark(Baseline = true)]
    public int IsExcluded()
    {
        var count = 0;
        foreach (var path in _paths)
        {
            if (_list.IsExcluded(path))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The same decision rule by rule (one small regex each), as a naive implementation would.</summary>
    [Benchmark]
    public int RuleByRule()
    {
        var count = 0;
        var rules = _list.Rules;
        foreach (var path in _paths)
        {
            var excluded = false;
            var included = false;
            foreach (var rule in rules)
            {
                if (rule.IsMatch(path))
                {
                    excluded |= rule.Kind == ExcludeRuleKind.Exclude;
                    included |= rule.Kind == ExcludeRuleKind.Include;
                }
            }

            if (excluded && !included)
            {
                count++;
            }
        }

        return count;
    }

    [Benchmark]
    public ExcludeList Parse() => ExcludeList.Parse(ComputeExlist);

    /// <summary>The same paths against the 5,000-line site list.</summary>
    [Benchmark]
    public int IsExcluded_LongList()
    {
        var count = 0;
        foreach (var path in _paths)
        {
            if (_longList.IsExcluded(path))
            {
                count++;
            }
        }

        return count;
    }

    [Benchmark]
    public ExcludeList Parse_LongList() => ExcludeList.Parse(_longText);

    private static string LongExlist(string[] paths, int lines)
    {
        var random = new Random(9);
        var deep = paths.Where(static p => p.Count(static c => c == '/') >= 3).ToArray();
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            var path = deep[random.Next(deep.Length)];
            var directory = path[..path.LastIndexOf('/')];
            var name = path[(path.LastIndexOf('/') + 1)..];
            var line = (i % 10) switch
            {
                0 or 1 or 2 => path,
                3 => directory + "*",
                4 => directory + "/*",
                5 => directory[..^1] + "?/*",
                6 => directory[..directory.IndexOf('/', 2)] + "/*/" + name,
                7 => name.Length > 2 ? directory + "/[" + name[0] + name[1] + "]" + name[1..] : directory + "/*",
                8 => i % 1000 == 8 ? "*.pyc" : i % 1000 == 18 ? "*/__pycache__/*" : directory + "/*" + name[^1..],
                _ => "+" + directory + "/" + name[..1] + "*",
            };
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}
