using System.IO.Abstractions;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>
/// The files and links one image's import will place, collected by every part of its plan: one destination, one
/// source; each source found in the extracted bundle through <see cref="InstallPathPolicy"/>.
/// </summary>
internal sealed class ImportPlacements
{
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataProvider _unix;
    private readonly List<(string Staged, string Target)> _files = [];
    private readonly List<(string Path, string What)> _links = [];
    private readonly Dictionary<string, (string Source, string What)> _targets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedMembers = new(StringComparer.Ordinal);

    public ImportPlacements(IFileSystem fileSystem, IUnixMetadataProvider unix, InstallPathPolicy policy, ExtractedImage image, string stagingRoot)
    {
        _fileSystem = fileSystem;
        _unix = unix;
        Policy = policy;
        Image = image;
        StagingRoot = stagingRoot;
        Where = $"manifest.xml ('{InstallPathPolicy.Show(image.DirectoryName)}')";
    }

    public InstallPathPolicy Policy { get; }

    public ExtractedImage Image { get; }

    /// <summary>The import's staging directory, where copies and unpacked trees are made.</summary>
    public string StagingRoot { get; }

    /// <summary>Names the manifest in messages.</summary>
    public string Where { get; }

    public IReadOnlyList<(string Staged, string Target)> Files => _files;

    public IReadOnlyList<(string Path, string What)> Links => _links;

    /// <summary>
    /// Adds <paramref name="staged"/> for <paramref name="target"/> unless the same source claimed it already;
    /// <paramref name="source"/>, when given, identifies the source instead of the staged path (a copy's original).
    /// </summary>
    /// <exception cref="InvalidDataException">Another source claims the target (xCAT lets the last win).</exception>
    public void Add(string staged, string target, string what, string? source = null)
    {
        if (Claim(source ?? staged, target, what))
        {
            _files.Add((staged, target));
        }
    }

    /// <summary>A link placed outside a root image must lead inside the install directory (lexically now, really after placing).</summary>
    public void Link(string stagedLink, string target, string what)
    {
        Policy.CheckLink(target, _unix.GetSymbolicLinkTarget(stagedLink), what);
        _links.Add((target, what));
    }

    /// <summary>Adds the flat member of the image directory that <paramref name="manifestPath"/> names; returns the normalised target.</summary>
    /// <exception cref="InvalidDataException">The member is absent or not a regular file.</exception>
    public string AddMember(string manifestPath, string target, string what)
    {
        var member = TreePath.GetFileName(manifestPath);
        if (ImageNaming.PathComponentProblem(member) is not null)
        {
            throw new InvalidDataException($"The manifest's {what} '{InstallPathPolicy.Show(manifestPath)}' does not end in a file name; refused. ({Where})");
        }

        if (!Image.Files.Contains(member) || Policy.FindSource(Image.Path, member, what) is not { Status.Type: UnixFileType.RegularFile } source)
        {
            throw new InvalidDataException(
                $"The bundle lacks '{InstallPathPolicy.Show(Image.DirectoryName)}/{InstallPathPolicy.Show(member)}', which the manifest references as {what} ({InstallPathPolicy.Show(manifestPath)}).");
        }

        target = Policy.Destination(target, what);
        if (!Claim(member, target, what))
        {
            return target;
        }

        // Two references to one flat member (one file under two names) each need their own copy to move.
        var staged = source.Path;
        if (!_usedMembers.Add(member))
        {
            staged = CopyToStaging(staged, "copy");
        }

        _files.Add((staged, target));
        return target;
    }

    /// <summary>Copies <paramref name="path"/> to a new file in the staging directory, so that placing moves the copy.</summary>
    public string CopyToStaging(string path, string prefix)
    {
        var copy = _fileSystem.Path.Combine(StagingRoot, $"{prefix}-{Guid.NewGuid():N}");
        _fileSystem.File.Copy(path, copy);
        return copy;
    }

    /// <summary>Every entry below <paramref name="root"/>, parents first, in ordinal order, found with lstat: links are listed, never entered.</summary>
    public IEnumerable<(string Relative, UnixFileStatus Status, string Host)> Walk(string root)
    {
        var pending = new Stack<(string Host, string Relative)>();
        pending.Push((root, string.Empty));
        while (pending.TryPop(out var directory))
        {
            var children = new List<(string Relative, UnixFileStatus Status, string Host)>();
            foreach (var name in _unix.GetDirectoryEntries(directory.Host).Order(StringComparer.Ordinal))
            {
                var host = _fileSystem.Path.Join(directory.Host, name);
                var relative = directory.Relative.Length == 0 ? name : directory.Relative + "/" + name;
                if (_unix.TryGetStatus(host, out var status))
                {
                    children.Add((relative, status, host));
                }
            }

            foreach (var child in children)
            {
                yield return child;
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                if (children[i].Status.Type == UnixFileType.Directory)
                {
                    pending.Push((children[i].Host, children[i].Relative));
                }
            }
        }
    }

    /// <summary>One destination, one source: a second, different source for a destination is refused (xCAT lets the last win).</summary>
    private bool Claim(string source, string target, string what)
    {
        if (_targets.TryGetValue(target, out var claimed))
        {
            if (claimed.Source != source)
            {
                throw new InvalidDataException($"The bundle would place both {claimed.What} and {what} at '{target}'; refused.");
            }

            return false;
        }

        _targets[target] = (source, what);
        return true;
    }
}
