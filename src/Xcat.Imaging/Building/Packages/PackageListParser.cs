using System.Collections;
using System.IO.Abstractions;
using System.Text;
using System.Text.RegularExpressions;

namespace Xcat.Imaging.Building.Packages;

/// <summary>
/// Reads pkglist and otherpkglist files with the rules of xCAT's <c>imgutils.pm::get_package_names</c>: files merged in
/// order, <c>#INCLUDE:file#</c> expanded recursively relative to the top-level file's directory, <c>#NEW_INSTALL_LIST#</c>
/// passes, <c>#ENV:...#</c> assignments, <c>-name</c>/<c>--name</c> removals and <c>subdir/name</c> repositories.
/// </summary>
/// <param name="fileSystem">The file system the lists are read from; the real one when <see langword="null"/>.</param>
public sealed partial class PackageListParser(IFileSystem? fileSystem = null)
{
    // A diamond of includes grows exponentially; xCAT would run out of memory, we refuse.
    private const int MaxExpandedLength = 16 * 1024 * 1024;
    private const int MaxIncludes = 10_000;

    private const string NewInstallList = "#NEW_INSTALL_LIST#";

    private readonly IFileSystem _fileSystem = fileSystem ?? new FileSystem();

    /// <summary>Parses <paramref name="files"/> (the comma-separated entries of the pkglist attribute) into passes.</summary>
    /// <param name="files">The list files, in order; empty entries are skipped as xCAT does.</param>
    /// <param name="options">Whether removals count and the include-path variables; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The merged list: each file's passes start again at pass 1, as in xCAT, and duplicates within a pass are dropped.</returns>
    /// <exception cref="IOException">One or more lists or includes could not be read; the message starts
    /// <c>Unable to open the following pkglist files:</c> and names every one.</exception>
    /// <exception cref="InvalidDataException">The includes form a cycle (the message names its files), or a list
    /// expands through more than 10,000 includes or beyond 16 Mi characters (xCAT has no limit; a diamond of includes
    /// grows exponentially).</exception>
    public async Task<PackageList> ParseAsync(
        IReadOnlyList<string> files,
        PackageListParserOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        options ??= new PackageListParserOptions();
        var environment = options.Environment ?? ProcessEnvironment();
        var unreadable = new List<string>();
        var passes = new SortedDictionary<int, PassBuilder>();

        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // get_package_names: `if ($plist_file_name && -r ...)`.
            if (string.IsNullOrEmpty(file))
            {
                continue;
            }

            var text = await ReadFilteredAsync(file, cancellationToken).ConfigureAwait(false);
            if (text is null)
            {
                unreadable.Add(file);
                continue;
            }

            var expansion = new Expansion(TopDirectory(file), environment, unreadable, [FullPath(file)]);
            var expanded = await ExpandAsync(text, expansion, cancellationToken).ConfigureAwait(false);
            Classify(expanded, options.HonourRemovals, passes);
        }

        if (unreadable.Count > 0)
        {
            throw new IOException("Unable to open the following pkglist files: " + string.Join(", ", unreadable.Distinct(StringComparer.Ordinal)));
        }

        var result = new List<PackagePass>();
        foreach (var builder in passes.Values.Where(b => b.HasEntries))
        {
            result.Add(builder.Build(result.Count + 1));
        }

        return new PackageList(result);
    }

    // get_package_names' line filter, with Perl's \s (ASCII whitespace).
    [GeneratedRegex(@"^[ \t\n\r\f\v]*#", RegexOptions.CultureInvariant)]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^[ \t\n\r\f\v]*(#INCLUDE:[^#^\n]+#|#NEW_INSTALL_LIST#|#ENV:[^#^\n]+#)", RegexOptions.CultureInvariant)]
    private static partial Regex KeptTagLine();

    [GeneratedRegex(@"#INCLUDE:([^#^\n]+)#", RegexOptions.CultureInvariant)]
    private static partial Regex IncludeTag();

    [GeneratedRegex(@"^#ENV:([^#^\n]+)#", RegexOptions.CultureInvariant)]
    private static partial Regex EnvTag();

    [GeneratedRegex(@"\$\{?(\w+)\}?", RegexOptions.CultureInvariant)]
    private static partial Regex Variable();

    private static readonly char[] PerlWhitespace = [' ', '\t', '\n', '\r', '\f', '\v'];

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return variables;
    }

    private static string TopDirectory(string file)
    {
        // File::Basename::dirname: "." for a bare name, "/" for a file at the root.
        var slash = file.TrimEnd('/').LastIndexOf('/');
        return slash switch
        {
            < 0 => ".",
            0 => "/",
            _ => file[..slash].TrimEnd('/') is { Length: > 0 } dir ? dir : "/",
        };
    }

    private string FullPath(string path) => _fileSystem.Path.GetFullPath(path);

    /// <summary>The file's kept lines joined with commas, or null when it cannot be read.</summary>
    private async Task<string?> ReadFilteredAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            if (!_fileSystem.File.Exists(path))
            {
                return null;
            }

            text = await _fileSystem.File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var kept = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            // Trailing whitespace goes, leading stays; blank lines and comments other than the three tags are skipped.
            var line = raw.TrimEnd(PerlWhitespace);
            if (line.Length == 0 || (CommentLine().IsMatch(line) && !KeptTagLine().IsMatch(line)))
            {
                continue;
            }

            kept.Add(line);
        }

        return string.Join(',', kept);
    }

    // xCAT substitutes round by round over the whole text; expanding each include recursively gives the same text
    // (an included text is the same wherever it lands) and lets a cycle be named instead of looping for ever.
    private async Task<string> ExpandAsync(string text, Expansion expansion, CancellationToken cancellationToken)
    {
        var tags = IncludeTag().Matches(text);
        if (tags.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder();
        var position = 0;
        foreach (Match tag in tags)
        {
            result.Append(text, position, tag.Index - position);
            position = tag.Index + tag.Length;
            cancellationToken.ThrowIfCancellationRequested();
            if (++expansion.Includes > MaxIncludes)
            {
                throw new InvalidDataException(
                    $"The pkglist {expansion.Chain[0]} includes more than {MaxIncludes} files, counting repeats.");
            }

            var path = ResolveInclude(tag.Groups[1].Value, expansion);
            var identity = FullPath(path);
            if (expansion.Chain.Contains(identity, StringComparer.Ordinal))
            {
                throw new InvalidDataException(
                    "The pkglist includes form a cycle: " + string.Join(" -> ", expansion.Chain.Append(identity)));
            }

            var included = await ReadFilteredAsync(path, cancellationToken).ConfigureAwait(false);
            if (included is null)
            {
                // include_file returns #INCLUDEBAD:cannot open <file>#, which genimage reports and exits on.
                expansion.Unreadable.Add(path);
                continue;
            }

            expansion.Chain.Add(identity);
            var inner = await ExpandAsync(included, expansion, cancellationToken).ConfigureAwait(false);
            expansion.Chain.RemoveAt(expansion.Chain.Count - 1);
            result.Append(inner);
            if (result.Length > MaxExpandedLength)
            {
                throw new InvalidDataException(
                    $"The pkglist {expansion.Chain[0]} expands beyond {MaxExpandedLength} characters through its includes.");
            }
        }

        result.Append(text, position, text.Length - position);
        return result.ToString();
    }

    private static string ResolveInclude(string name, Expansion expansion)
    {
        // include_file: variables substituted, then a relative path is relative to the top-level list's directory.
        var file = SubstituteVariables(name, expansion.Environment);
        return file.StartsWith('/') ? file : expansion.TopDirectory + "/" + file;
    }

    /// <summary>imgutils.pm::varsubinline: every <c>${VAR}</c> then <c>$VAR</c> of a known variable, in order of appearance.</summary>
    private static string SubstituteVariables(string line, IReadOnlyDictionary<string, string> environment)
    {
        var names = Variable().Matches(line).Select(m => m.Groups[1].Value).ToList();
        foreach (var name in names)
        {
            if (environment.TryGetValue(name, out var value))
            {
                line = line.Replace("${" + name + "}", value, StringComparison.Ordinal)
                    .Replace("$" + name, value, StringComparison.Ordinal);
            }
        }

        return line;
    }

    private static void Classify(string text, bool honourRemovals, SortedDictionary<int, PassBuilder> passes)
    {
        // Each file starts again at pass 1 (get_package_names sets $pass = 1 per file), so files merge pass by pass.
        var pass = 1;
        foreach (var entry in text.Split(','))
        {
            if (entry.StartsWith(NewInstallList, StringComparison.Ordinal))
            {
                pass++;
                continue;
            }

            var builder = Pass(passes, pass);
            if (EnvTag().Match(entry) is { Success: true } env)
            {
                builder.Environment.Add(env.Groups[1].Value);
                continue;
            }

            // Only a marker in column 0 counts, as in xCAT: "  -foo" is not a removal.
            if (entry.StartsWith('#'))
            {
                continue;
            }

            if (entry.StartsWith('-'))
            {
                var post = entry.StartsWith("--", StringComparison.Ordinal);
                if (!honourRemovals)
                {
                    continue;
                }

                // Removals use the base name only (the repository does not matter to erase).
                var (_, removed) = SplitRepository(entry[(post ? 2 : 1)..]);
                foreach (var name in Names(removed))
                {
                    (post ? builder.PostRemove : builder.PreRemove).Add(new PackageName(name));
                }

                continue;
            }

            var (repository, baseName) = SplitRepository(entry);
            foreach (var name in Names(baseName))
            {
                builder.Install.Add(new PackageName(name, repository));
            }
        }
    }

    private static PassBuilder Pass(SortedDictionary<int, PassBuilder> passes, int number)
    {
        if (!passes.TryGetValue(number, out var builder))
        {
            builder = new PassBuilder();
            passes.Add(number, builder);
        }

        return builder;
    }

    /// <summary>File::Basename's dirname and basename of an entry (trailing slashes ignored), the directory trimmed.</summary>
    private static (string Repository, string Name) SplitRepository(string entry)
    {
        var trimmed = entry.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        if (slash < 0)
        {
            return (PackageName.MainRepository, trimmed);
        }

        var directory = trimmed[..slash].TrimEnd('/').Trim(PerlWhitespace);
        return (directory.Length == 0 ? "/" : directory, trimmed[(slash + 1)..]);
    }

    /// <summary>
    /// The names of one entry as the package manager receives them: genimage joins them with spaces into a shell
    /// command, so surrounding blanks vanish and a plain entry's inner blanks separate names; a group is quoted whole.
    /// A word from the shell's point of view starting with <c>#</c> is dropped.
    /// </summary>
    private static string[] Names(string baseName)
    {
        var name = baseName.Trim(PerlWhitespace);

        // An indented tag ("  #ENV:...#") is no tag to xCAT and reaches the shell as a comment: never a package.
        if (name.Length == 0 || name.StartsWith('#'))
        {
            return [];
        }

        return name.StartsWith('@') ? [name] : name.Split(PerlWhitespace, StringSplitOptions.RemoveEmptyEntries);
    }

    private sealed record Expansion(
        string TopDirectory,
        IReadOnlyDictionary<string, string> Environment,
        List<string> Unreadable,
        List<string> Chain)
    {
        public int Includes { get; set; }
    }

    private sealed class PassBuilder
    {
        public List<string> Environment { get; } = [];

        public List<PackageName> Install { get; } = [];

        public List<PackageName> PreRemove { get; } = [];

        public List<PackageName> PostRemove { get; } = [];

        public bool HasEntries => Install.Count > 0 || PreRemove.Count > 0 || PostRemove.Count > 0;

        public PackagePass Build(int number) => new(number)
        {
            Environment = [.. Environment],
            Install = [.. Install.Distinct()],
            PreRemove = [.. PreRemove.Distinct()],
            PostRemove = [.. PostRemove.Distinct()],
        };
    }
}
