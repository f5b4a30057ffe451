using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Trees;

/// <summary>
/// Knows which directories were archived, so that a re-included path under an excluded directory gets that directory
/// first. The walk is in <c>find | sort</c> order, where a sibling such as <c>a-b</c> can come between <c>a</c> and
/// <c>a/b</c>, so a depth stack is not enough: the set holds directory names only, a small part of a tree.
/// </summary>
public sealed class ParentTracker
{
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "." };

    /// <summary>Returns the ancestors of <paramref name="entry"/> that were not archived, outermost first, and records them and it.</summary>
    /// <param name="entry">The entry about to be archived.</param>
    /// <returns>The names of the ancestor directories to archive first; empty when all were.</returns>
    public List<string> Enter(TreeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var missing = new List<string>();
        if (entry.Name != ".")
        {
            for (var i = entry.Name.IndexOf('/', StringComparison.Ordinal); i >= 0; i = entry.Name.IndexOf('/', i + 1))
            {
                var ancestor = entry.Name[..i];
                if (_directories.Add(ancestor))
                {
                    missing.Add(ancestor);
                }
            }
        }

        if (entry.Type == UnixFileType.Directory)
        {
            _directories.Add(entry.Name);
        }

        return missing;
    }
}
