using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Packing;

/// <summary>
/// Knows which ancestors of the current walk position were archived; in a parents-first walk that is a stack as deep
/// as the tree, so memory stays bounded.
/// </summary>
internal sealed class ParentTracker
{
    private readonly List<string> _stack = [];

    /// <summary>Returns the ancestors of <paramref name="entry"/> that were not archived, outermost first, and records them and it.</summary>
    public List<string> Enter(TreeEntry entry)
    {
        var missing = new List<string>();
        if (entry.Name != ".")
        {
            var parent = Parent(entry.Name);
            while (_stack.Count > 0 && !IsAncestorOrSelf(_stack[^1], parent))
            {
                _stack.RemoveAt(_stack.Count - 1);
            }

            foreach (var ancestor in Ancestors(parent))
            {
                if (!_stack.Contains(ancestor))
                {
                    missing.Add(ancestor);
                    _stack.Add(ancestor);
                }
            }
        }

        if (entry.Type == UnixFileType.Directory)
        {
            _stack.Add(entry.Name);
        }

        return missing;
    }

    private static string Parent(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash < 0 ? "." : name[..slash];
    }

    private static bool IsAncestorOrSelf(string ancestor, string path)
        => ancestor == "." || path == ancestor || path.StartsWith(ancestor + "/", StringComparison.Ordinal);

    // "a/b/c" gives "a", "a/b", "a/b/c"; the root "." is its own entry and never missing.
    private static IEnumerable<string> Ancestors(string path)
    {
        if (path == ".")
        {
            yield break;
        }

        for (var i = path.IndexOf('/', StringComparison.Ordinal); i >= 0; i = path.IndexOf('/', i + 1))
        {
            yield return path[..i];
        }

        yield return path;
    }
}
