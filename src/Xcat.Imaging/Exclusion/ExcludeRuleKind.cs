namespace Xcat.Imaging.Exclusion;

/// <summary>Whether an exlist line drops paths or brings them back (xCAT's packimage.pm, exlist).</summary>
public enum ExcludeRuleKind
{
    /// <summary>A plain (or <c>-</c>-prefixed) line: matching paths are left out of the archive.</summary>
    Exclude,

    /// <summary>A <c>+</c>-prefixed line: matching paths are archived even when an exclude rule matches them.</summary>
    Include,
}
