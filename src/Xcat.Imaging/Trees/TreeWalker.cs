using System.Collections.ObjectModel;
using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Trees;

/// <summary>
/// Walks a directory tree into <see cref="TreeEntry"/> values, deterministically: the order, inode numbers and link
/// counts depend only on the names and metadata in the tree, never on directory order on disk or on the host's inode
/// numbers (style study A.10).
/// </summary>
/// <remarks>
/// <para>
/// <b>Order.</b> Entries come in code-point (UTF-8 byte) order of their whole names, which is
/// <c>find . | LC_ALL=C sort</c>: <c>a</c>, <c>a-b</c>, <c>a/b</c>, because <c>-</c> sorts before <c>/</c>. A name
/// sorts before every name it prefixes, so parents always precede their children (the kernel's early-userspace buffer format). The
/// walk is depth-first over sorted listings in which a directory's subtree is placed at the key <c>name/</c>.
/// </para>
/// <para>
/// <b>Inodes and links.</b> Inodes are renumbered 1..N in stream order; members of a hard-link group (same
/// <c>st_dev</c> and <c>st_ino</c>, not a directory) share one number and get <see cref="TreeEntry.LinkCount"/> = the
/// number of members in the walk. Directories get link count 2 (GNU cpio <c>--ignore-dirnlink</c>), other files 1.
/// A file whose other names are outside the walk (or filtered out) is a plain file.
/// </para>
/// <para>
/// <b>Memory.</b> The walk is lazy and holds the sorted listing (names and metadata) of each directory on the current
/// path, never the whole tree. To know the last member of each hard-link group (where GNU cpio puts the data) before
/// yielding the first one, enumerating starts with a metadata-only pre-pass that keeps (device, inode) → count and
/// last name for files with a link count above 1, which is a small map even for a million entries. The tree must not
/// change during the walk.
/// </para>
/// </remarks>
public sealed class TreeWalker
{
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataProvider _metadata;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="fileSystem">The file system to list directories and open data on; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">The metadata source; <see cref="UnixMetadataProvider.For"/> of <paramref name="fileSystem"/> when <see langword="null"/>.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    public TreeWalker(IFileSystem? fileSystem = null, IUnixMetadataProvider? metadata = null, ILogger<TreeWalker>? logger = null)
    {
        _fileSystem = fileSystem ?? new FileSystem();
        _metadata = metadata ?? UnixMetadataProvider.For(_fileSystem);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Walks the tree under <paramref name="rootDirectory"/>.</summary>
    /// <param name="rootDirectory">The root of the tree; a symbolic link to a directory is followed.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults. Read once, when the walk starts.</param>
    /// <param name="cancellationToken">A token to cancel the walk, checked before each entry.</param>
    /// <returns>The entries, lazily, in the order described on <see cref="TreeWalker"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="rootDirectory"/> is empty.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="rootDirectory"/> is not a directory.</exception>
    public IEnumerable<TreeEntry> Walk(string rootDirectory, TreeWalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        var root = _fileSystem.Path.GetFullPath(rootDirectory);
        if (!IsDirectory(root))
        {
            throw new DirectoryNotFoundException($"Could not find the directory '{root}'.");
        }

        options ??= new TreeWalkOptions();
        var settings = new Settings(options.StayOnFileSystem, options.IncludeRoot, options.Filter, options.ReadExtendedAttributes,
            options.HardLinkData);
        return WalkCore(root, settings, cancellationToken);
    }

    /// <summary>Opens the data of a regular-file entry from this walker's file system.</summary>
    /// <param name="entry">An entry with a <see cref="TreeEntry.SourcePath"/>.</param>
    /// <returns>A stream positioned at the start of the file; the caller disposes it.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="entry"/> is not a regular file or has no source path.</exception>
    public Stream OpenRead(TreeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Type != UnixFileType.RegularFile || entry.SourcePath is null)
        {
            throw new InvalidOperationException($"The entry '{DisplayText.Escape(entry.Name)}' is a {entry.Type} without host data to open.");
        }

        return _metadata.OpenRead(entry.SourcePath);
    }

    private IEnumerable<TreeEntry> WalkCore(string root, Settings settings, CancellationToken cancellationToken)
    {
        Log.TreeWalkStarted(_logger, root);
        var groups = CountHardLinks(root, settings, cancellationToken);
        Log.TreeHardLinkGroups(_logger, groups.Count, root);

        var seen = new Dictionary<FileId, SeenGroup>();
        ulong nextInode = 0;
        long count = 0;
        foreach (var visit in Traverse(root, settings, cancellationToken))
        {
            if (!settings.Includes(visit.Name))
            {
                continue;
            }

            var status = visit.Status;
            var inode = ++nextInode;
            var linkCount = status.Type == UnixFileType.Directory ? 2u : 1u;
            var length = status.Type == UnixFileType.RegularFile ? status.Length : 0;
            string? hardLinkTarget = null;
            var id = new FileId(status);
            if (status.Type != UnixFileType.Directory && status.LinkCount > 1 && groups.TryGetValue(id, out var members))
            {
                if (seen.TryGetValue(id, out var group))
                {
                    nextInode--;
                    inode = group.Inode;
                }
                else
                {
                    group = new SeenGroup(inode, visit.Name, 0);
                }

                group = group with { Seen = group.Seen + 1 };
                linkCount = (uint)members;
                var carriesData = settings.HardLinkData == HardLinkDataPlacement.Last ? group.Seen == members : group.Seen == 1;
                if (!carriesData)
                {
                    length = 0;
                }

                if (settings.HardLinkData == HardLinkDataPlacement.First && group.Seen > 1)
                {
                    hardLinkTarget = group.FirstName;
                }

                if (group.Seen >= members)
                {
                    seen.Remove(id);
                }
                else
                {
                    seen[id] = group;
                }
            }

            count++;
            yield return new TreeEntry
            {
                Name = visit.Name,
                Type = status.Type,
                Mode = status.Mode,
                Uid = status.Uid,
                Gid = status.Gid,
                ModificationTime = status.ModificationTime,
                Length = length,
                LinkTarget = status.Type == UnixFileType.SymbolicLink ? _metadata.GetSymbolicLinkTarget(visit.Path) : null,
                DeviceMajor = status.DeviceMajor,
                DeviceMinor = status.DeviceMinor,
                ExtendedAttributes = settings.ReadExtendedAttributes
                    ? _metadata.GetExtendedAttributes(visit.Path)
                    : ReadOnlyDictionary<string, byte[]>.Empty,
                Inode = inode,
                LinkCount = linkCount,
                HardLinkTarget = hardLinkTarget,
                SourcePath = visit.Path,
            };
        }

        Log.TreeWalkFinished(_logger, count, root);
    }

    /// <summary>The pre-pass: members per (device, inode) among included non-directories with more than one link.</summary>
    private Dictionary<FileId, int> CountHardLinks(string root, Settings settings, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<FileId, int>();
        foreach (var visit in Traverse(root, settings, cancellationToken))
        {
            if (visit.Status.Type != UnixFileType.Directory && visit.Status.LinkCount > 1 && settings.Includes(visit.Name))
            {
                var id = new FileId(visit.Status);
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }

        foreach (var single in counts.Where(pair => pair.Value < 2).Select(pair => pair.Key).ToList())
        {
            counts.Remove(single);
        }

        return counts;
    }

    /// <summary>Every object under <paramref name="root"/> (the root first, as <c>.</c>), filtered or not, in walk order.</summary>
    private IEnumerable<Visit> Traverse(string root, Settings settings, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var rootStatus = _metadata.GetStatus(root);
        if (rootStatus.Type == UnixFileType.SymbolicLink)
        {
            rootStatus = _metadata.GetStatus(_fileSystem.Path.Join(root, "."));
        }

        yield return new Visit(".", root, rootStatus);
        var stack = new Stack<Frame>();
        stack.Push(List(root, string.Empty, rootStatus, settings));
        while (stack.Count > 0)
        {
            var frame = stack.Peek();
            if (frame.Index == frame.Items.Count)
            {
                stack.Pop();
                continue;
            }

            var item = frame.Items[frame.Index++];
            cancellationToken.ThrowIfCancellationRequested();
            if (item.IsSubtree)
            {
                stack.Push(List(item.Visit.Path, item.Visit.Name + "/", rootStatus, settings));
            }
            else
            {
                yield return item.Visit;
            }
        }
    }

    /// <summary>One directory's children, each as an entry at key <c>name</c> and, if entered, a subtree at <c>name/</c>.</summary>
    private Frame List(string directory, string prefix, UnixFileStatus rootStatus, Settings settings)
    {
        var items = new List<Item>();
        foreach (var childName in _metadata.GetDirectoryEntries(directory))
        {
            var path = _fileSystem.Path.Join(directory, childName);
            var visit = new Visit(prefix + childName, path, _metadata.GetStatus(path));
            items.Add(new Item(childName, visit, false));
            if (visit.Status.Type == UnixFileType.Directory)
            {
                if (settings.StayOnFileSystem && !SameFileSystem(visit.Status, rootStatus))
                {
                    Log.TreeOtherFileSystem(_logger, DisplayText.Escape(path));
                }
                else
                {
                    items.Add(new Item(childName + "/", visit, true));
                }
            }
        }

        items.Sort((x, y) => TreePath.Comparer.Compare(x.Key, y.Key));
        return new Frame(items);
    }

    private bool IsDirectory(string path)
        => _metadata.TryGetStatus(path, out var status)
           && (status.Type == UnixFileType.Directory
               || (status.Type == UnixFileType.SymbolicLink && _metadata.TryGetStatus(_fileSystem.Path.Join(path, "."), out status)
                   && status.Type == UnixFileType.Directory));

    private static bool SameFileSystem(UnixFileStatus a, UnixFileStatus b)
        => a.FileSystemMajor == b.FileSystemMajor && a.FileSystemMinor == b.FileSystemMinor;

    private sealed record Settings(bool StayOnFileSystem, bool IncludeRoot, Func<string, bool>? Filter, bool ReadExtendedAttributes,
        HardLinkDataPlacement HardLinkData)
    {
        public bool Includes(string name) => (IncludeRoot || name != ".") && (Filter is null || Filter(name));
    }

    private readonly record struct Visit(string Name, string Path, UnixFileStatus Status);

    private readonly record struct Item(string Key, Visit Visit, bool IsSubtree);

    private sealed class Frame(List<Item> items)
    {
        public List<Item> Items { get; } = items;

        public int Index { get; set; }
    }

    private readonly record struct FileId(uint Major, uint Minor, ulong Inode)
    {
        public FileId(UnixFileStatus status)
            : this(status.FileSystemMajor, status.FileSystemMinor, status.Inode)
        {
        }
    }

    private readonly record struct SeenGroup(ulong Inode, string FirstName, int Seen);
}
