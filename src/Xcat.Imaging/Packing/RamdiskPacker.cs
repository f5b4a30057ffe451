using System.IO.Abstractions;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Exclusion;
using Xcat.Imaging.Internal;
using Xcat.Imaging.IO;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Packing;

/// <summary>
/// packimage: packs a root image directory into a compressed cpio (or tar) archive in one streaming pass with bounded
/// memory — walk (ordinal, parents first, <c>-xdev</c>) → exclusion list → archive writer → compressor → output. The
/// packer never changes the tree it packs.
/// </summary>
/// <remarks>
/// Better than xCAT's pipeline (xCAT's packimage.pm), and documented as such: the output appears atomically and older
/// <c>rootimg.*</c> archives are removed only once the new one is complete (xCAT issues #1940, #2225); failure or
/// cancellation leaves the previous archive untouched and no temp file; archive errors are never masked by the
/// compressor's exit status; a re-included path appears once, after the parent directories the kernel needs; a
/// <c>sha256sum</c>-format file is written beside the archive; cpio refuses files of 4 GiB or more before writing.
/// </remarks>
public sealed class RamdiskPacker
{
    /// <summary>The largest file newc cpio can hold: its size field has 32 bits.</summary>
    public const long MaxCpioFileLength = uint.MaxValue;

    private const string SelinuxLabel = "security.selinux";

    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataProvider _metadata;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    /// <summary>Initializes a packer.</summary>
    /// <param name="fileSystem">The file system; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">The Unix metadata provider; derived from <paramref name="fileSystem"/> when <see langword="null"/> (statx for the real one).</param>
    /// <param name="loggerFactory">Creates the loggers of the packer and the layers it drives; none when <see langword="null"/>.</param>
    public RamdiskPacker(IFileSystem? fileSystem = null, IUnixMetadataProvider? metadata = null, ILoggerFactory? loggerFactory = null)
    {
        _fileSystem = fileSystem ?? new FileSystem();
        _metadata = metadata ?? UnixMetadataProvider.For(_fileSystem);
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<RamdiskPacker>();
    }

    /// <summary>Packs <paramref name="rootDirectory"/> into <paramref name="destination"/>, which is left open.</summary>
    /// <param name="rootDirectory">The root of the tree, such as <c>&lt;rootimgdir&gt;/rootimg</c>.</param>
    /// <param name="destination">Where the compressed archive goes; never disposed, its position never read.</param>
    /// <param name="options">Format, compression and exclusions; <see langword="null"/> for cpio and parallel gzip.</param>
    /// <param name="progress">Receives entries and bytes, about ten times a second.</param>
    /// <param name="cancellationToken">A token to cancel the pack.</param>
    /// <returns>Counts and sizes.</returns>
    /// <exception cref="DirectoryNotFoundException">The root directory does not exist.</exception>
    /// <exception cref="NotSupportedException">A file is 4 GiB or more and the format is cpio; the message suggests tar.</exception>
    /// <remarks>When <paramref name="destination"/> is a <see cref="FileStream"/> on a file inside the tree, that file is left out of the archive.</remarks>
    public Task<RamdiskPackResult> PackAsync(string rootDirectory, Stream destination, RamdiskPackOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentNullException.ThrowIfNull(destination);
        var output = new OutputFiles(_fileSystem, _metadata);
        if (destination is FileStream { Name: { Length: > 0 } name })
        {
            output.Add(name);
        }

        return PackCoreAsync(rootDirectory, destination, options ?? new RamdiskPackOptions(), output, progress, cancellationToken);
    }

    private async Task<RamdiskPackResult> PackCoreAsync(string rootDirectory, Stream destination, RamdiskPackOptions options, OutputFiles outputFiles,
        IProgress<ImagingProgress>? progress, CancellationToken cancellationToken)
    {
        var root = _fileSystem.Path.GetFullPath(rootDirectory);
        if (!_fileSystem.Directory.Exists(root))
        {
            // A file where the tree should be is not "missing": say what it is.
            throw _fileSystem.File.Exists(root)
                ? new IOException($"{root} is a file, not a directory; the root to pack must be a directory.")
                : new DirectoryNotFoundException($"{root} does not exist.");
        }

        Log.PackStarted(_logger, root, options.Format, options.Compression.Method);
        var exclude = options.ExcludeList ?? ExcludeList.Default;
        long excluded = 0;
        var outputLogged = new HashSet<string>(StringComparer.Ordinal);
        var walker = new TreeWalker(_fileSystem, _metadata, _loggerFactory.CreateLogger<TreeWalker>());
        var walkOptions = new TreeWalkOptions
        {
            StayOnFileSystem = options.StayOnFileSystem,
            IncludeRoot = true,
            Filter = name =>
            {
                // The archive being written, its temp file and checksum, when the output is inside the tree.
                if (outputFiles.Contains(name == "." ? root : _fileSystem.Path.Join(root, name)))
                {
                    if (outputLogged.Add(name))
                    {
                        Log.PackOutputLeftOut(_logger, DisplayText.Escape(name));
                    }

                    return false;
                }

                var keep = !exclude.IsExcluded(name == "." ? "." : "./" + name);
                excluded += keep ? 0 : 1;
                return keep;
            },
            // Read in the first pass for cpio too, to count what cpio drops; the second pass reads them for tar only.
            ReadExtendedAttributes = true,
            HardLinkData = options.Format == ArchiveFormat.Cpio ? HardLinkDataPlacement.Last : HardLinkDataPlacement.First,
        };

        // A metadata-only first pass: refuses what cpio cannot hold before any output, and gives the totals.
        long totalEntries = 0, totalBytes = 0, droppedAttributes = 0;
        foreach (var entry in walker.Walk(root, walkOptions, cancellationToken))
        {
            if (options.Format == ArchiveFormat.Cpio && entry.ExtendedAttributes.Keys.Any(static name => name != SelinuxLabel))
            {
                droppedAttributes++;
            }

            if (options.Format == ArchiveFormat.Cpio && entry.Length > MaxCpioFileLength)
            {
                // Not an argument problem: the tree is fine, the format cannot hold it (newc's c_filesize is 32 bits).
                throw new NotSupportedException(
                    $"'{DisplayText.Escape(entry.Name)}' is {entry.Length} bytes; cpio cannot hold files of 4 GiB or more. Pack with tar (-m tar) instead.");
            }

            totalEntries++;
            totalBytes += entry.Length;
        }

        excluded = 0;
        walkOptions.ReadExtendedAttributes = options.Format == ArchiveFormat.Tar;
        var throttle = new ProgressThrottle(progress);
        var output = new ObservingWriteStream(destination);
        long entries = 0, content = 0, archiveBytes;
        var compressor = CompressionStreams.CreateCompressor(output, options.Compression, _loggerFactory.CreateLogger("Xcat.Imaging.Compression"), leaveOpen: true);
        await using (compressor.ConfigureAwait(false))
        {
            var archiveCounter = new ObservingWriteStream(compressor);
            var archive = CreateWriter(archiveCounter, options);
            await using (archive.ConfigureAwait(false))
            {
                var parents = new ParentTracker();
                foreach (var entry in walker.Walk(root, walkOptions, cancellationToken))
                {
                    cancellationToken.ThrowIfCancellationRequested();

                    // A re-included path under an excluded directory needs that directory first (xCAT leaves it out).
                    foreach (var parent in parents.Enter(entry))
                    {
                        await archive.WriteAsync(StatDirectory(root, parent, options.ClampModificationTime), null, cancellationToken).ConfigureAwait(false);
                        entries++;
                        excluded--;
                    }

                    var item = Clamp(entry, options.ClampModificationTime);
                    if (item.Type == UnixFileType.RegularFile && item.Length > 0)
                    {
                        var data = walker.OpenRead(item);
                        await using (data.ConfigureAwait(false))
                        {
                            await archive.WriteAsync(item, data, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        await archive.WriteAsync(item, null, cancellationToken).ConfigureAwait(false);
                    }

                    entries++;
                    content += item.Length;
                    throttle.Report(new ImagingProgress(ImagingStages.Pack, item.Name, entries, totalEntries, content, totalBytes));
                }

                await archive.FinishAsync(cancellationToken).ConfigureAwait(false);
            }

            archiveBytes = archiveCounter.BytesWritten;
        }

        throttle.ReportNow(new ImagingProgress(ImagingStages.Pack, null, entries, totalEntries, content, totalBytes));
        Log.PackFinished(_logger, root, entries, archiveBytes, output.BytesWritten);
        return new RamdiskPackResult
        {
            Entries = entries,
            ExcludedEntries = excluded,
            ContentBytes = content,
            ArchiveBytes = archiveBytes,
            CompressedBytes = output.BytesWritten,
            EntriesWithDroppedExtendedAttributes = droppedAttributes,
        };
    }

    /// <summary>
    /// Packs <paramref name="rootDirectory"/> into <paramref name="archivePath"/> atomically (temp file beside it, flush
    /// to disk, mode 0644, rename) and writes <c>&lt;archive&gt;.sha256</c> in <c>sha256sum</c> format.
    /// </summary>
    /// <param name="rootDirectory">The root of the tree.</param>
    /// <param name="archivePath">The archive file to write.</param>
    /// <param name="options">Format, compression and exclusions.</param>
    /// <param name="progress">Receives entries and bytes.</param>
    /// <param name="cancellationToken">A token to cancel; the previous file is then untouched and no temp file remains.</param>
    /// <returns>Counts, sizes, paths and the checksum.</returns>
    /// <remarks>
    /// When the archive is written inside the tree, neither its temp file nor the archive and checksum file it replaces
    /// are packed; they are recognised by device and inode, whatever path leads to the tree.
    /// </remarks>
    /// <exception cref="IOException"><paramref name="archivePath"/> is a directory.</exception>
    public async Task<RamdiskPackResult> PackToFileAsync(string rootDirectory, string archivePath, RamdiskPackOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentException.ThrowIfNullOrEmpty(archivePath);
        options ??= new RamdiskPackOptions();
        if (_fileSystem.Directory.Exists(archivePath))
        {
            throw new IOException($"The output '{DisplayText.Escape(archivePath)}' is a directory; give the archive's file name.");
        }

        RamdiskPackResult result;
        string sha256;
        using (var file = AtomicFile.Create(_fileSystem, archivePath))
        {
            // An output inside the tree must not pack itself: the temp file, and the archive and checksum it replaces.
            var outputFiles = new OutputFiles(_fileSystem, _metadata);
            outputFiles.Add(file.TempPath);
            outputFiles.Add(file.TargetPath);
            outputFiles.Add(file.TargetPath + ".sha256");
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var hashing = new ObservingWriteStream(file.Stream, hash);
            result = await PackCoreAsync(rootDirectory, hashing, options, outputFiles, progress, cancellationToken).ConfigureAwait(false);
            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            await file.CommitAsync(cancellationToken).ConfigureAwait(false);
            archivePath = file.TargetPath;
        }

        string? checksumPath = null;
        if (options.WriteChecksumFile)
        {
            checksumPath = archivePath + ".sha256";
            using var sums = AtomicFile.Create(_fileSystem, checksumPath);
            await sums.Stream.WriteAsync(Encoding.UTF8.GetBytes($"{sha256}  {_fileSystem.Path.GetFileName(archivePath)}\n"), cancellationToken).ConfigureAwait(false);
            await sums.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return result with { ArchivePath = archivePath, ChecksumPath = checksumPath, Sha256 = sha256 };
    }

    /// <summary>
    /// packimage &lt;osimage&gt;: checks the definition as xCAT does (xCAT's packimage.pm), takes the image lock shared with genimage,
    /// loads the image's exlists, packs <c>&lt;rootimgdir&gt;/rootimg</c> into <c>&lt;rootimgdir&gt;/rootimg.&lt;method&gt;.&lt;suffix&gt;</c>
    /// and only then removes older <c>rootimg.*</c> archives.
    /// </summary>
    /// <param name="image">The image definition.</param>
    /// <param name="site">The site, whose install directory holds a definition without <c>rootimgdir</c>.</param>
    /// <param name="options">Format and compression; <see cref="RamdiskPackOptions.ExcludeList"/> overrides the image's exlists.</param>
    /// <param name="progress">Receives entries and bytes.</param>
    /// <param name="cancellationToken">A token to cancel.</param>
    /// <returns>Counts, sizes, paths, the checksum and the archives removed.</returns>
    /// <exception cref="InvalidOperationException">The definition lacks osvers, osarch, profile or provmethod, or is not netboot.</exception>
    /// <exception cref="DirectoryNotFoundException">The rootimg directory does not exist.</exception>
    /// <exception cref="IOException">Another process holds the image lock (the message names it), or rootimg is a file.</exception>
    public async Task<RamdiskPackResult> PackImageAsync(ImageDefinition image, SiteSettings site, RamdiskPackOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(site);
        options ??= new RamdiskPackOptions();
        var os = image.OsImage;
        if (string.IsNullOrEmpty(os.OsVersion) || string.IsNullOrEmpty(os.OsArch) || string.IsNullOrEmpty(os.Profile) || string.IsNullOrEmpty(os.ProvMethod))
        {
            throw new InvalidOperationException(
                $"osimage.osvers, osimage.osarch, osimage.profile and osimage.provmethod must be specified for the image {image.Name} in the database.");
        }

        if (os.Method != ProvisioningMethod.Netboot)
        {
            throw new InvalidOperationException($"'{image.Name}' cannot be used to build diskless image. Make sure osimage.provmethod is 'netboot'.");
        }

        // Normalized once, here, as AtomicFile and every host path of the library are (GetFullPath: absolute, no //, . or
        // .. components, resolved lexically): every path below derives from it, so that //, /./ or x/.. in rootimgdir
        // can never make the new archive look stale and be deleted.
        var imageDirectory = _fileSystem.Path.TrimEndingDirectorySeparator(_fileSystem.Path.GetFullPath(image.GetRootImageDirectory(site)));
        var rootimg = _fileSystem.Path.Combine(imageDirectory, RootImageFiles.TreeDirectoryName);
        if (_fileSystem.File.Exists(rootimg))
        {
            throw new IOException($"{rootimg} is a file, not a directory; the rootimg must be the image's root directory tree.");
        }

        if (!_fileSystem.Directory.Exists(rootimg))
        {
            throw new DirectoryNotFoundException($"{rootimg} does not exist, run genimage -o {os.OsVersion} -p {os.Profile} on a server with matching architecture");
        }

        var realRoot = _fileSystem.DirectoryInfo.New(rootimg).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? _fileSystem.Path.GetFullPath(rootimg);
        using var imageLock = ImageLock.Acquire(_fileSystem, options.LockDirectory, realRoot);
        if (options.ExcludeList is null && image.LinuxImage.ExcludeLists.Count > 0)
        {
            options = Copy(options);
            options.ExcludeList = await ExcludeList.LoadAsync(_fileSystem, image.LinuxImage.ExcludeLists, cancellationToken).ConfigureAwait(false);
        }

        var archivePath = _fileSystem.Path.Combine(imageDirectory, RootImageFiles.ArchiveName(options.Format, options.Compression.Method));
        var result = await PackToFileAsync(rootimg, archivePath, options, progress, cancellationToken).ConfigureAwait(false);

        // Only now, with the new archive complete, do the stale ones go (xCAT issue #2225: nodeset picks any rootimg.*).
        // Compared by file name: both come from the same directory, whatever its spelling.
        var keep = new HashSet<string>(StringComparer.Ordinal) { _fileSystem.Path.GetFileName(result.ArchivePath!) };
        if (result.ChecksumPath is not null)
        {
            keep.Add(_fileSystem.Path.GetFileName(result.ChecksumPath));
        }

        var removed = new List<string>();
        foreach (var stale in _fileSystem.Directory.EnumerateFiles(imageDirectory, RootImageFiles.TreeDirectoryName + ".*").Order(StringComparer.Ordinal))
        {
            if (!keep.Contains(_fileSystem.Path.GetFileName(stale)))
            {
                _fileSystem.File.Delete(stale);
                removed.Add(stale);
            }
        }

        return result with { RemovedArchives = removed };
    }

    /// <summary>Files the pack writes, recognised in the walk by name, then by device and inode (whatever path led there).</summary>
    private sealed class OutputFiles(IFileSystem fileSystem, IUnixMetadataProvider metadata)
    {
        private readonly List<(string FileName, UnixFileStatus Status)> _files = [];

        public void Add(string path)
        {
            if (metadata.TryGetStatus(path, out var status) && status.Type == UnixFileType.RegularFile)
            {
                _files.Add((fileSystem.Path.GetFileName(path), status));
            }
        }

        public bool Contains(string path)
        {
            if (_files.Count == 0)
            {
                return false;
            }

            var fileName = fileSystem.Path.GetFileName(path);
            foreach (var (name, status) in _files)
            {
                if (name == fileName && metadata.TryGetStatus(path, out var other) && other.Type == UnixFileType.RegularFile
                    && other.Inode == status.Inode && other.FileSystemMajor == status.FileSystemMajor && other.FileSystemMinor == status.FileSystemMinor)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static RamdiskPackOptions Copy(RamdiskPackOptions options) => new()
    {
        Format = options.Format,
        Compression = options.Compression,
        ExcludeList = options.ExcludeList,
        StayOnFileSystem = options.StayOnFileSystem,
        ClampModificationTime = options.ClampModificationTime,
        WriteChecksumFile = options.WriteChecksumFile,
        LockDirectory = options.LockDirectory,
    };

    private static ITreeArchiveWriter CreateWriter(Stream stream, RamdiskPackOptions options) => options.Format switch
    {
        ArchiveFormat.Cpio => new CpioTreeArchiveWriter(stream, new CpioWriterOptions { ClampModificationTime = options.ClampModificationTime is not null }),
        _ => new TarTreeArchiveWriter(stream),
    };

    private static TreeEntry Clamp(TreeEntry entry, DateTimeOffset? latest)
        => latest is { } limit && entry.ModificationTime > limit ? entry with { ModificationTime = limit } : entry;

    private TreeEntry StatDirectory(string root, string name, DateTimeOffset? latest)
    {
        var status = _metadata.GetStatus(_fileSystem.Path.Combine(root, name));
        return Clamp(new TreeEntry
        {
            Name = name,
            Type = UnixFileType.Directory,
            Mode = status.Mode,
            Uid = status.Uid,
            Gid = status.Gid,
            ModificationTime = status.ModificationTime,
            LinkCount = 2,
        }, latest);
    }
}
