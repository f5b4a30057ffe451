namespace Xcat.Imaging.Exclusion;

/// <summary>
/// One exlist line: a <c>find -path</c> glob (xCAT's packimage.pm, exlist) that excludes or re-includes the image paths it matches.
/// </summary>
public sealed class ExcludeRule
{
    private FindGlob? _glob;

    /// <summary>Creates a rule.</summary>
    /// <param name="kind">Exclude or include.</param>
    /// <param name="pattern">The glob, matched against whole paths of the form <c>./usr/share/man</c>.</param>
    /// <param name="source">The exlist file the line came from, if any.</param>
    /// <param name="lineNumber">The 1-based line in <paramref name="source"/>, or 0.</param>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not defined or <paramref name="lineNumber"/> is negative.</exception>
    public ExcludeRule(ExcludeRuleKind kind, string pattern, string? source = null, int lineNumber = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentOutOfRangeException.ThrowIfNegative(lineNumber);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown rule kind.");
        }

        Kind = kind;
        Pattern = pattern;
        Source = source;
        LineNumber = lineNumber;
    }

    /// <summary>Gets whether the rule excludes or re-includes.</summary>
    public ExcludeRuleKind Kind { get; }

    /// <summary>Gets the glob: <c>*</c> and <c>?</c> also match <c>/</c>, <c>[...]</c> is a bracket expression, <c>\</c> escapes.</summary>
    public string Pattern { get; }

    /// <summary>Gets the exlist file the rule came from; <see langword="null"/> for built-in rules and parsed text.</summary>
    public string? Source { get; }

    /// <summary>Gets the 1-based line number in <see cref="Source"/>, or 0 when unknown.</summary>
    public int LineNumber { get; }

    /// <summary>Creates an exclude rule.</summary>
    /// <param name="pattern">The glob.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    public static ExcludeRule Exclude(string pattern) => new(ExcludeRuleKind.Exclude, pattern);

    /// <summary>Creates an include (<c>+</c>) rule.</summary>
    /// <param name="pattern">The glob.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    public static ExcludeRule Include(string pattern) => new(ExcludeRuleKind.Include, pattern);

    /// <summary>Tests the pattern against one image path, as <c>find . -path PATTERN</c> would.</summary>
    /// <param name="imagePath">A POSIX path inside the image: <c>./usr/bin/x</c>, <c>usr/bin/x</c> or <c>/usr/bin/x</c>.</param>
    /// <returns><see langword="true"/> when the pattern matches the whole path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="imagePath"/> is <see langword="null"/>.</exception>
    public bool IsMatch(string imagePath)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        return Glob.IsMatch(ImagePath.Normalize(imagePath));
    }

    /// <summary>Gets the compiled pattern, built on first use (a benign race: every thread builds the same).</summary>
    internal FindGlob Glob => _glob ??= FindGlob.Compile(Pattern);

    /// <summary>Returns the rule as an exlist line.</summary>
    /// <returns><c>+</c> and the pattern for an include, the pattern alone for an exclude.</returns>
    public override string ToString() => Kind == ExcludeRuleKind.Include ? "+" + Pattern : Pattern;
}
