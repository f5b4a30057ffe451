using System.IO.Abstractions;
using Xcat.Imaging.Internal;

namespace Xcat.Imaging.Exclusion;

/// <summary>
/// packimage's exclusion lists (<c>linuximage.exlist</c>, xCAT's packimage.pm, exlist): which image paths go into the archive.
/// </summary>
/// <remarks>
/// <para>
/// Each non-comment line is a <c>find -path</c> glob matched against whole paths of the form <c>./usr/share/man</c>:
/// <c>*</c> and <c>?</c> also match <c>/</c>, <c>[...]</c> is a bracket expression. A plain or <c>-</c>-prefixed line
/// excludes, a <c>+</c>-prefixed line re-includes: packimage archives the output of
/// <c>find . ! -path E1 -a ! -path E2 ...</c> followed by that of <c>find . -path I1 -o -path I2 ...</c>, so a path
/// is left out when an exclude pattern matches it and no include pattern does. A rule matches one path, not a
/// subtree: <c>./usr/share/doc</c> drops only the directory entry and its children stay, <c>./usr/share/doc*</c>
/// drops both. <c>#</c> starts a comment; <c>#INCLUDE:file#</c> is replaced by the non-blank lines of
/// <c>file</c>, recursively. Every list ends with packimage's built-in statelite exclusions
/// (<see cref="StatelitePatterns"/>).
/// </para>
/// <para>
/// Deliberate differences from packimage, which silently produces surprising archives in these cases: an include
/// that cannot be read is a <see cref="FileNotFoundException"/> (packimage drops it); an include cycle is an
/// <see cref="InvalidDataException"/> (packimage loops forever); a nested include is resolved against the directory
/// of the file that contains it (packimage uses the top-level exlist's directory; the two agree for one level);
/// leading and trailing whitespace around a pattern is ignored (packimage keeps it, so such a line matches nothing);
/// and the tree walker that uses this list archives a re-included path once, in tree order, after its parent
/// directories (packimage appends re-included paths at the end, listing a path twice when it was not excluded).
/// </para>
/// <para>
/// Limits, each refused with an <see cref="InvalidDataException"/> that names the file or the include chain: only
/// regular files are read (a FIFO or a device is refused by name, never opened), each at most
/// <see cref="MaxFileLength"/> characters; includes nest at most <see cref="MaxIncludeDepth"/> deep and expand to at
/// most <see cref="MaxExpandedLines"/> lines (a file included many times counts each time). Matching takes time that
/// grows with the path, not with the number of rules: literal and <c>prefix*</c> lines are looked up in a trie, other
/// globs are tried only on paths that start with their literal prefix.
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class ExcludeList
{
    private static readonly ExcludeRule[] s_stateliteRules =
    [
        .. new[] { "./etc/init.d/statelite", "./etc/rc.sysinit.backup", "./.statelite*", "./.default*", "./.statebackup*" }
            .Select(ExcludeRule.Exclude),
    ];

    /// <summary>The longest exlist file or include, in characters (1 MiB); the files of one list together may hold four times that.</summary>
    public const int MaxFileLength = 1 << 20;

    /// <summary>The most lines a list expands to, includes expanded (xCAT's shipped exlists have under 40).</summary>
    public const int MaxExpandedLines = 100_000;

    /// <summary>The deepest nesting of <c>#INCLUDE:</c>.</summary>
    public const int MaxIncludeDepth = 32;

    private readonly GlobSet? _excludes;
    private readonly GlobSet? _includes;

    private ExcludeList(IReadOnlyList<ExcludeRule> rules)
    {
        Rules = rules;
        var excludes = rules.Where(r => r.Kind == ExcludeRuleKind.Exclude).Select(r => r.Glob).ToList();
        var includes = rules.Where(r => r.Kind == ExcludeRuleKind.Include).Select(r => r.Glob).ToList();
        _excludes = excludes.Count > 0 ? new GlobSet(excludes) : null;
        _includes = includes.Count > 0 ? new GlobSet(includes) : null;
    }

    /// <summary>
    /// Gets packimage's always-appended exclusions (xCAT's packimage.pm, exlist): <c>./etc/init.d/statelite</c>,
    /// <c>./etc/rc.sysinit.backup</c>, <c>./.statelite*</c>, <c>./.default*</c>, <c>./.statebackup*</c>.
    /// </summary>
    public static IReadOnlyList<string> StatelitePatterns { get; } = [.. s_stateliteRules.Select(r => r.Pattern)];

    /// <summary>Gets the list packimage uses for an image without an exlist: the statelite exclusions only.</summary>
    public static ExcludeList Default { get; } = new(s_stateliteRules);

    /// <summary>Gets the rules in file order, includes expanded in place, the built-in statelite exclusions last.</summary>
    public IReadOnlyList<ExcludeRule> Rules { get; }

    /// <summary>Gets whether any rule re-includes (a <c>+</c> line).</summary>
    public bool HasIncludes => _includes is not null;

    /// <summary>Creates a list of exactly <paramref name="rules"/>, without the built-in statelite exclusions.</summary>
    /// <param name="rules">The rules.</param>
    /// <returns>The list.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> or one of its items is <see langword="null"/>.</exception>
    public static ExcludeList Create(IEnumerable<ExcludeRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ExcludeRule[] list = [.. rules];
        if (list.Any(r => r is null))
        {
            throw new ArgumentNullException(nameof(rules), "A rule is null.");
        }

        return new ExcludeList(list);
    }

    /// <summary>Parses exlist text, then appends the built-in statelite exclusions.</summary>
    /// <param name="text">The exlist content.</param>
    /// <param name="resolveInclude">
    /// Returns the content of an <c>#INCLUDE:name#</c> file given the name as written (also for nested includes), or
    /// <see langword="null"/> when it cannot be read; <see langword="null"/> when the text may have no includes.
    /// </param>
    /// <returns>The list.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">An include cannot be resolved.</exception>
    /// <exception cref="InvalidDataException">Includes form a cycle, nest too deep or expand past the limits.</exception>
    public static ExcludeList Parse(string text, Func<string, string?>? resolveInclude = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = new List<ExcludeRule>();
        var expander = new ExlistIncludeExpander((name, _) => (name, resolveInclude?.Invoke(name)));
        AddRules(rules, expander.Expand(text, null));
        return new ExcludeList([.. rules, .. s_stateliteRules]);
    }

    /// <summary>
    /// Reads exlist files (the items of a comma-separated <c>linuximage.exlist</c>), merges their rules in order and
    /// appends the built-in statelite exclusions.
    /// </summary>
    /// <param name="fileSystem">The file system holding the exlists.</param>
    /// <param name="paths">The exlist files; relative <c>#INCLUDE</c> names are resolved against the including file's directory.</param>
    /// <returns>The list.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">An exlist or an include cannot be read; the message names the including file.</exception>
    /// <exception cref="InvalidDataException">
    /// An exlist or an include is not a regular file or is too long, or includes form a cycle, nest too deep or expand
    /// past the limits.
    /// </exception>
    public static ExcludeList Load(IFileSystem fileSystem, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(paths);
        return SyncOverAsync.Wait(LoadCoreAsync(useAsync: false, fileSystem, paths, CancellationToken.None));
    }

    /// <summary>The asynchronous twin of <see cref="Load"/>.</summary>
    /// <param name="fileSystem">The file system holding the exlists.</param>
    /// <param name="paths">The exlist files; relative <c>#INCLUDE</c> names are resolved against the including file's directory.</param>
    /// <param name="cancellationToken">A token to cancel the reads.</param>
    /// <returns>The list.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">An exlist or an include cannot be read; the message names the including file.</exception>
    /// <exception cref="InvalidDataException">
    /// An exlist or an include is not a regular file or is too long, or includes form a cycle, nest too deep or expand
    /// past the limits.
    /// </exception>
    public static Task<ExcludeList> LoadAsync(IFileSystem fileSystem, IEnumerable<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(paths);
        return LoadCoreAsync(useAsync: true, fileSystem, paths, cancellationToken).AsTask();
    }

    /// <summary>
    /// Tells whether packimage leaves <paramref name="imagePath"/> out of the archive: an exclude rule matches it and
    /// no include rule does.
    /// </summary>
    /// <param name="imagePath">
    /// A POSIX path inside the image. <c>./usr/bin/x</c> (what <c>find .</c> prints), <c>usr/bin/x</c> and
    /// <c>/usr/bin/x</c> are the same path; <c>.</c>, <c>""</c> and <c>/</c> are the root; a trailing <c>/</c> is ignored.
    /// </param>
    /// <returns><see langword="true"/> when the path is excluded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="imagePath"/> is <see langword="null"/>.</exception>
    public bool IsExcluded(string imagePath)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        if (_excludes is null)
        {
            return false;
        }

        var path = ImagePath.Normalize(imagePath);
        return _excludes.IsMatch(path) && (_includes is null || !_includes.IsMatch(path));
    }

    /// <summary>
    /// Tells whether <paramref name="imagePath"/> is archived only thanks to an include rule: an exclude rule and an
    /// include rule both match it. Its parent directories may be excluded; the tree walker still emits them first.
    /// </summary>
    /// <param name="imagePath">A POSIX path inside the image, in any of the forms <see cref="IsExcluded"/> accepts.</param>
    /// <returns><see langword="true"/> when the path is re-included.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="imagePath"/> is <see langword="null"/>.</exception>
    public bool IsReincluded(string imagePath)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        if (_excludes is null || _includes is null)
        {
            return false;
        }

        var path = ImagePath.Normalize(imagePath);
        return _includes.IsMatch(path) && _excludes.IsMatch(path);
    }

    /// <summary>Lists the rules that match <paramref name="imagePath"/>, to explain a decision.</summary>
    /// <param name="imagePath">A POSIX path inside the image, in any of the forms <see cref="IsExcluded"/> accepts.</param>
    /// <returns>The matching rules in list order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="imagePath"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<ExcludeRule> GetMatchingRules(string imagePath)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        var path = ImagePath.Normalize(imagePath);
        return [.. Rules.Where(r => r.IsMatch(path))];
    }

    /// <summary>
    /// Returns a list with <paramref name="rules"/> appended, e.g. packimage's <c>+./usr/share/zoneinfo/&lt;tz&gt;</c>
    /// re-include for <c>site.timezone</c> (xCAT's packimage.pm, exlist).
    /// </summary>
    /// <param name="rules">The rules to append.</param>
    /// <returns>A new list; this one is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> or one of its items is <see langword="null"/>.</exception>
    public ExcludeList WithRules(IEnumerable<ExcludeRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return Create([.. Rules, .. rules]);
    }

    private static async ValueTask<ExcludeList> LoadCoreAsync(bool useAsync, IFileSystem fileSystem, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var files = new ExlistFileSet(fileSystem);
        var roots = paths.Select(files.GetFullPath).ToList();
        await files.ReadAllAsync(useAsync, roots, cancellationToken).ConfigureAwait(false);
        return FromFiles(files, roots);
    }

    private static ExcludeList FromFiles(ExlistFileSet files, List<string> roots)
    {
        var rules = new List<ExcludeRule>();
        var expander = new ExlistIncludeExpander(files.Resolve);
        foreach (var root in roots)
        {
            AddRules(rules, expander.Expand(files.GetText(root), root));
        }

        return new ExcludeList([.. rules, .. s_stateliteRules]);
    }

    /// <summary>Turns expanded lines into rules (xCAT's packimage.pm, exlist): strip <c>#</c> comments, skip blanks, <c>+</c> includes, <c>-</c> optional.</summary>
    private static void AddRules(List<ExcludeRule> rules, IEnumerable<ExlistLine> lines)
    {
        foreach (var line in lines)
        {
            var text = line.Text;
            var comment = text.IndexOf('#', StringComparison.Ordinal);
            var pattern = (comment >= 0 ? text[..comment] : text).Trim();
            if (pattern.Length == 0)
            {
                continue;
            }

            var kind = ExcludeRuleKind.Exclude;
            if (pattern[0] == '+')
            {
                kind = ExcludeRuleKind.Include;
                pattern = pattern[1..].Trim();
            }
            else if (pattern[0] == '-')
            {
                pattern = pattern[1..].Trim();
            }

            if (pattern.Length > 0)
            {
                rules.Add(new ExcludeRule(kind, pattern, line.Source, line.LineNumber));
            }
        }
    }
}
