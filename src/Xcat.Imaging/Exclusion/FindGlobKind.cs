namespace Xcat.Imaging.Exclusion;

/// <summary>What shape a <see cref="FindGlob"/> has, which decides how <see cref="GlobSet"/> indexes it.</summary>
internal enum FindGlobKind
{
    /// <summary>No wildcard: matches exactly its prefix.</summary>
    Literal,

    /// <summary>A literal prefix and stars only: matches every path that starts with the prefix.</summary>
    Prefix,

    /// <summary>Anything else: the prefix, then segments to test.</summary>
    Pattern,

    /// <summary>A pattern glibc's fnmatch never matches (a trailing <c>\</c>, an unknown class, an empty set).</summary>
    Never,
}
