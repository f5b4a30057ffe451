using System.Collections;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>
/// <see cref="ExtractedImage.Files"/> without a name in memory: membership asks the <see cref="MemberIndex"/>,
/// enumeration walks the extracted directory (without following links) and yields the regular files the index holds.
/// The image's <c>SHA256SUMS</c> is left out.
/// </summary>
internal sealed class ExtractedFileSet(MemberIndex index, IUnixMetadataProvider metadata, Func<string, IEnumerable<string>> list,
    string directoryName, string path) : IReadOnlySet<string>
{
    public int Count => index.CountUnder(directoryName) - (index.Contains(directoryName + "/" + Sha256Sums.FileName) ? 1 : 0);

    public bool Contains(string item) => item != Sha256Sums.FileName && index.Contains(directoryName + "/" + item);

    public IEnumerator<string> GetEnumerator()
    {
        var pending = new Stack<(string Host, string Relative)>();
        pending.Push((path, string.Empty));
        while (pending.TryPop(out var directory))
        {
            foreach (var host in list(directory.Host).Order(StringComparer.Ordinal))
            {
                var name = TreePath.GetFileName(host);
                var relative = directory.Relative.Length == 0 ? name : directory.Relative + "/" + name;
                if (!metadata.TryGetStatus(host, out var status))
                {
                    continue;
                }

                if (status.Type == UnixFileType.Directory)
                {
                    pending.Push((host, relative));
                }
                else if (status.Type == UnixFileType.RegularFile && Contains(relative))
                {
                    yield return relative;
                }
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool IsProperSubsetOf(IEnumerable<string> other) => Materialize().IsProperSubsetOf(other);

    public bool IsProperSupersetOf(IEnumerable<string> other) => Materialize().IsProperSupersetOf(other);

    public bool IsSubsetOf(IEnumerable<string> other) => Materialize().IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<string> other) => other.All(Contains);

    public bool Overlaps(IEnumerable<string> other) => other.Any(Contains);

    public bool SetEquals(IEnumerable<string> other) => Materialize().SetEquals(other);

    private HashSet<string> Materialize() => new(this, StringComparer.Ordinal);
}
