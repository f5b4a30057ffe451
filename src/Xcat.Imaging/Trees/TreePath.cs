using System.Text;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Trees;

/// <summary>POSIX paths, inside images and of manifests: ordering, confinement and components, never <see cref="Path.Combine(string, string)"/>. The one place for them.</summary>
public static class TreePath
{
    /// <summary>
    /// Orders strings by Unicode code point, which is the byte order of their UTF-8 form (<c>LC_ALL=C sort</c>).
    /// Plain ordinal comparison of UTF-16 differs for characters above U+FFFF against U+E000..U+FFFF.
    /// </summary>
    public static readonly IComparer<string> Comparer = new CodePointComparer();

    /// <summary>
    /// Normalizes an archive member name to <c>a/b/c</c> (<c>.</c> for the root): drops <c>./</c> prefixes, empty and
    /// <c>.</c> components. Refuses absolute names and <c>..</c> components with an <see cref="IOException"/>.
    /// </summary>
    /// <param name="name">The member name as the archive holds it.</param>
    /// <param name="what">What the name is, for the message: <c>member name</c>, <c>hard-link target of 'x'</c>.</param>
    /// <returns>The normalized name.</returns>
    /// <exception cref="IOException">The name is absolute or has a <c>..</c> component.</exception>
    public static string Normalize(string name, string what)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new IOException($"The {what} '{DisplayText.Escape(name)}' contains a NUL character.");
        }

        if (name.StartsWith('/'))
        {
            throw new IOException($"The {what} '{DisplayText.Escape(name)}' is an absolute path; only names relative to the destination are extracted.");
        }

        var builder = new StringBuilder(name.Length);
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw new IOException($"The {what} '{DisplayText.Escape(name)}' has a '..' component that would leave the destination.");
            }

            if (builder.Length > 0)
            {
                builder.Append('/');
            }

            builder.Append(part);
        }

        return builder.Length == 0 ? "." : builder.ToString();
    }

    /// <summary>Returns the parent of a normalized name: <c>a/b</c> for <c>a/b/c</c>, <c>.</c> for <c>a</c>.</summary>
    /// <param name="name">A normalized name.</param>
    /// <returns>The parent's name.</returns>
    public static string Parent(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash < 0 ? "." : name[..slash];
    }

    /// <summary>Returns the last component of a POSIX path, trailing slashes ignored: <c>c</c> for <c>/a/b/c/</c>.</summary>
    /// <param name="path">A POSIX path, absolute or relative.</param>
    /// <returns>The last component; the path itself when it has no slash.</returns>
    public static string GetFileName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimEnd('/');
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    /// <summary>Returns the directory of an absolute POSIX path: <c>/a/b</c> for <c>/a/b/c</c>, <c>/</c> for <c>/a</c>.</summary>
    /// <param name="path">An absolute POSIX path without a trailing slash.</param>
    /// <returns>The directory.</returns>
    public static string GetDirectoryName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private sealed class CodePointComparer : IComparer<string>
    {
        public int Compare(string? x, string? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            var length = Math.Min(x.Length, y.Length);
            for (var i = 0; i < length; i++)
            {
                var a = x[i];
                var b = y[i];
                if (a != b)
                {
                    return IsEscape(x, i) || IsEscape(y, i) ? CompareBytes(x, y, i) : Fix(a) - Fix(b);
                }
            }

            return x.Length - y.Length;
        }

        // A byte escaped by UnixNameEncoding sorts as that byte: compare the rest as the bytes it stands for.
        private static int CompareBytes(string x, string y, int index)
        {
            var start = index > 0 && char.IsHighSurrogate(x[index - 1]) ? index - 1 : index;
            return UnixNameEncoding.GetBytes(x[start..]).AsSpan().SequenceCompareTo(UnixNameEncoding.GetBytes(y[start..]));
        }

        private static bool IsEscape(string text, int index)
            => text[index] is >= '\uDC80' and <= '\uDCFF' && (index == 0 || !char.IsHighSurrogate(text[index - 1]));

        // Moves surrogates (U+D800..U+DFFF, i.e. code points above U+FFFF) above U+E000..U+FFFF.
        private static int Fix(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;
    }
}
