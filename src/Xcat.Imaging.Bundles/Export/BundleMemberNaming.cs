using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Bundles.Manifest;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>
/// Names the members of an image directory in a bundle as xCAT lays it out (xCAT's imgport.pm, make_bundle steps 6 to 8):
/// referenced files flat by basename, extras under <c>extra/</c>, kit directories by their basename; two sources
/// under one name are refused, as one would overwrite the other.
/// </summary>
internal sealed class BundleMemberNaming
{
    private const string RootImageTreeMember = "rootimgtree.gz";
    private const string LiteFileMember = "litefile.csv";
    private readonly ExportContext _context;
    private readonly List<ExportFile> _files = [];
    private readonly Dictionary<string, string> _members;
    private readonly Dictionary<string, string> _extraMembers = new(StringComparer.Ordinal);

    public BundleMemberNaming(ExportContext context, bool statelite)
    {
        _context = context;
        _members = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ManifestSerializer.FileName] = "(the manifest)",
            [Sha256Sums.FileName] = "(the checksums)",
            ["extra"] = "(the extras directory)",
            [BundleReader.RootImageTreeDirectory] = "(the unpacked root image)",
        };
        if (statelite)
        {
            _members[RootImageTreeMember] = "(the statelite root image)";
            _members[LiteFileMember] = "(the litefile table)";
        }
    }

    /// <summary>The members so far, in the order they are written.</summary>
    public IReadOnlyList<ExportFile> Files => _files;

    /// <summary>Adds a referenced file under its basename; a missing one is recorded in the context.</summary>
    /// <exception cref="IOException">Another file has the same basename.</exception>
    public void AddFile(string path)
    {
        var name = _context.FileSystem.Path.GetFileName(path);
        if (_members.TryGetValue(name, out var other))
        {
            if (string.Equals(other, path, StringComparison.Ordinal))
            {
                return;
            }

            throw new IOException($"'{path}' and '{other}' have the same basename '{name}'; a bundle holds referenced files flat by basename, so one would overwrite the other.");
        }

        if (!_context.FileSystem.File.Exists(path))
        {
            _context.Missing($"Couldn't find file {path} for {_context.ImageName}.");
            return;
        }

        _members[name] = path;
        _files.Add(new ExportFile(path, name, ExportKind.File));
    }

    /// <summary>Adds the extras: a directory under <c>extra/</c> by its full path, a file by its basename; returns them for the manifest.</summary>
    /// <exception cref="IOException">Two extras would be stored under one name.</exception>
    public IReadOnlyList<BundleExtra> AddExtras(IEnumerable<BundleExtra> requested)
    {
        var fileSystem = _context.FileSystem;
        var extras = new List<BundleExtra>();
        foreach (var extra in requested)
        {
            var source = fileSystem.Path.GetFullPath(extra.Source);
            var isDirectory = fileSystem.Directory.Exists(source);
            if (!isDirectory && !fileSystem.File.Exists(source))
            {
                // xCAT warns and goes on (xCAT's imgport.pm, get_files); a missing extra is an error here.
                _context.Missing($"Can not find Extra file {extra.Source}.");
                continue;
            }

            var destination = extra.Destination is { Length: > 0 } d ? d : isDirectory ? source : fileSystem.Path.GetDirectoryName(source) ?? "/";
            var member = isDirectory ? "extra/" + source.TrimStart('/') : "extra/" + fileSystem.Path.GetFileName(source);
            if (_extraMembers.TryGetValue(member, out var clash))
            {
                throw new IOException($"The extras '{source}' and '{clash}' would both be stored as '{member}'.");
            }

            _extraMembers[member] = source;
            extras.Add(new BundleExtra(source, destination));
            _files.Add(new ExportFile(source, member, isDirectory ? ExportKind.Directory : ExportKind.File));
        }

        return extras;
    }

    /// <summary>Adds a statelite image's <c>rootimgtree.gz</c>, made from <paramref name="directory"/>, and its <c>litefile.csv</c>.</summary>
    public void AddStatelite(string directory, byte[]? liteFileCsv)
    {
        _files.Add(new ExportFile(directory, RootImageTreeMember, ExportKind.CpioTree));
        _files.Add(new ExportFile(directory + "/" + LiteFileMember, LiteFileMember, ExportKind.Data, liteFileCsv));
    }

    /// <summary>Adds a kit directory under its basename (imgimport expects it to be the kit name).</summary>
    /// <exception cref="IOException">Another member has the same name.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public void AddKitDirectory(string kitName, string kitDirectory)
    {
        var name = _context.FileSystem.Path.GetFileName(kitDirectory.TrimEnd('/'));
        if (_members.TryGetValue(name, out var clash))
        {
            throw new IOException($"The kit directory '{kitDirectory}' and '{clash}' have the same basename '{name}'.");
        }

        if (!_context.FileSystem.Directory.Exists(kitDirectory))
        {
            throw new DirectoryNotFoundException($"Couldn't find the directory {kitDirectory} of kit '{kitName}' for {_context.ImageName}");
        }

        _members[name] = kitDirectory;
        _files.Add(new ExportFile(kitDirectory, name, ExportKind.Directory));
    }

    /// <summary>Adds the unpacked root image tree.</summary>
    public void AddRootImageTree(string tree) => _files.Add(new ExportFile(tree, BundleReader.RootImageTreeDirectory, ExportKind.Directory));
}
