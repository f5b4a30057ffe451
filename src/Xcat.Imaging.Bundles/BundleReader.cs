using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;
using Xcat.Imaging.Tar;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles;

/// <summary>
/// Reads an image bundle (gzip-compressed tar, or a plain tar as <c>imgimport -n</c> takes; xz, zstd and bzip2 are
/// detected too) into a directory, refusing anything hostile, and checks each image directory's <c>SHA256SUMS</c>.
/// </summary>
/// <remarks>
/// <para>Bundles made by xCAT (<c>tar czf</c> of a staging directory) have their members in any order, so the reader
/// extracts everything first and reads the manifests afterwards (xCAT's imgport.pm, extract_bundle); our own bundles put each manifest first.</para>
/// <para><b>Refused</b>, each with an exception naming the member, before it is written: absolute names and <c>..</c>
/// components, writes through links (<see cref="TreeExtractor"/>'s confinement), symbolic links whose target is
/// absolute or leads out of the directory, devices, FIFOs, and members beyond the limits of
/// <see cref="BundleReaderOptions"/>. The unpacked root image a bundle may carry (<c>&lt;image&gt;/rootimg/</c>) is a
/// whole Linux tree, so inside it devices and any link target are allowed: its links are never followed. <c>rootimg</c> itself
/// must be a directory, and no hard link crosses its boundary.</para>
/// <para><b>Privileges.</b> Outside the root image members lose owners, set-ID bits and non-<c>user.*</c> extended
/// attributes unless <see cref="BundleReaderOptions.KeepPrivileges"/> is set.</para>
/// <para><b>Memory</b> is a few dozen bytes a member (its name's and data's SHA-256; names stay on disk), and
/// <c>SHA256SUMS</c> is read one line at a time, however large.</para>
/// <para>Truncated or corrupt gzip or tar data is an <see cref="InvalidDataException"/>.</para>
/// </remarks>
public sealed class BundleReader : IAsyncDisposable
{
    /// <summary>The directory name, inside an image directory, of the unpacked root image (<c>--with-rootimg-tree</c>).</summary>
    public const string RootImageTreeDirectory = RootImageFiles.TreeDirectoryName;

    private static readonly Sha256Value s_emptyHash = Sha256Value.From(System.Security.Cryptography.SHA256.HashData(ReadOnlySpan<byte>.Empty));
    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private readonly BundleReaderOptions _options;
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataWriter? _metadata;
    private readonly ILogger _logger;
    private bool _used;

    /// <summary>Initializes a new instance. Nothing is read before <see cref="ExtractToDirectoryAsync"/>.</summary>
    /// <param name="source">The bundle; need not be seekable.</param>
    /// <param name="options">Limits; <see langword="null"/> for the defaults.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="source"/> open after disposing.</param>
    /// <param name="fileSystem">The file system to extract to; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">Writes owners, modes, times and devices; derived from <paramref name="fileSystem"/> when <see langword="null"/>.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not readable.</exception>
    public BundleReader(Stream source, BundleReaderOptions? options = null, bool leaveOpen = false, IFileSystem? fileSystem = null,
        IUnixMetadataWriter? metadata = null, ILogger<BundleReader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanRead)
        {
            throw new ArgumentException("The source stream is not readable.", nameof(source));
        }

        _source = source;
        _leaveOpen = leaveOpen;
        _options = options ?? new BundleReaderOptions();
        _fileSystem = fileSystem ?? new FileSystem();
        _metadata = metadata;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Extracts the bundle into <paramref name="destinationDirectory"/>, verifies the checksums and parses the
    /// manifests. On failure the caller deletes the directory (it is a staging directory).
    /// </summary>
    /// <param name="destinationDirectory">An empty or missing directory.</param>
    /// <param name="progress">Receives the compressed bytes read, about ten times a second; optional.</param>
    /// <param name="cancellationToken">A token to cancel the extraction.</param>
    /// <returns>The images found.</returns>
    /// <exception cref="InvalidDataException">The bundle is not a (compressed) tar, is truncated or corrupt, breaks a
    /// limit, holds a device or an escaping link, has a top-level entry without a valid <c>manifest.xml</c>, or a file
    /// differs from or is missing in its <c>SHA256SUMS</c>.</exception>
    /// <exception cref="IOException">A member would escape the directory, or the directory is not empty.</exception>
    /// <exception cref="InvalidOperationException">The reader was used already.</exception>
    public async Task<ExtractedBundle> ExtractToDirectoryAsync(string destinationDirectory, IProgress<ImagingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationDirectory);
        if (_used)
        {
            throw new InvalidOperationException("A bundle reader extracts once.");
        }

        _used = true;
        var destination = _fileSystem.Path.GetFullPath(destinationDirectory);
        if (_fileSystem.Directory.Exists(destination) && _fileSystem.Directory.EnumerateFileSystemEntries(destination).Any())
        {
            throw new IOException($"The directory '{destination}' is not empty.");
        }

        _fileSystem.Directory.CreateDirectory(destination);

        var throttle = new ProgressThrottle(progress);
        long? total = _source.CanSeek ? _source.Length - _source.Position : null;
        long compressedRead = 0;
        using var counting = new HashingReadStream(_source, read =>
        {
            compressedRead += read;
            throttle.Report(new ImagingProgress(ImagingStages.Unbundle, null, 0, null, compressedRead, total));
        }, hash: false);
        // The unpacked root image is a whole Linux tree and keeps everything; elsewhere owners, set-ID bits and
        // security attributes are dropped unless asked for, as xCAT's own copies of those files drop them.
        var tree = new TreeExtractor(destination, new TreeExtractionOptions(), _fileSystem, _metadata);
        var plain = _options.KeepPrivileges
            ? tree
            : new TreeExtractor(destination, new TreeExtractionOptions { PreserveOwnership = false }, _fileSystem, _metadata);
        var index = new MemberIndex();
        long entries = 0, bytes = 0;
        Stream decompressor;
        try
        {
            decompressor = await CompressionStreams.OpenDecompressorAsync(counting, leaveOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"The bundle is not a gzip-compressed tar: {e.Message}", e);
        }

        using (decompressor)
        {
            var tar = new PaxTreeReader(decompressor);
            while (true)
            {
                (TreeEntry Entry, Stream? Data)? next;
                try
                {
                    next = await tar.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"The bundle is corrupt or not a tar archive: {e.Message}", e);
                }

                if (next is not { } item)
                {
                    break;
                }

                var entry = item.Entry;
                if (++entries > _options.MaximumEntries)
                {
                    throw new InvalidDataException($"The bundle has more than {_options.MaximumEntries} members; refused.");
                }

                CheckName(entry.Name);
                entry = Resolve(entry, index);
                Check(entry);
                var inRootImage = InsideRootImageTree(entry.Name) || IsRootImageTree(entry.Name);
                if (entry.HardLinkTarget is { } linked && (InsideRootImageTree(linked) || IsRootImageTree(linked)) != inRootImage)
                {
                    throw new InvalidDataException(
                        $"The bundle member '{Show(entry.Name)}' is a hard link to '{Show(linked)}', across the boundary of the unpacked root image; refused.");
                }

                var extractor = inRootImage ? tree : plain;
                if (!inRootImage && !_options.KeepPrivileges)
                {
                    entry = WithoutPrivileges(entry);
                }

                if (entry.Type is not (UnixFileType.RegularFile or UnixFileType.Directory) && entry.HardLinkTarget is null)
                {
                    index.AddSpecial(entry.Name, entry.Type);
                }
                if (entry.Name == ".")
                {
                    continue;
                }

                if (entry.Length > _options.MaximumFileSize)
                {
                    throw new InvalidDataException($"The bundle member '{Show(entry.Name)}' is {entry.Length} bytes, above the limit of {_options.MaximumFileSize}; refused.");
                }

                bytes += entry.Length;
                if (bytes > _options.MaximumTotalSize)
                {
                    throw new InvalidDataException($"The bundle's members exceed {_options.MaximumTotalSize} bytes in total; refused.");
                }

                try
                {
                    if (item.Data is { } data && entry.Type == UnixFileType.RegularFile)
                    {
                        using var hashing = new HashingReadStream(data);
                        await extractor.ExtractAsync(entry, hashing, cancellationToken).ConfigureAwait(false);
                        index.Add(entry.Name, hashing.FinishDigest());
                    }
                    else
                    {
                        await extractor.ExtractAsync(entry, null, cancellationToken).ConfigureAwait(false);
                        if (entry.Type == UnixFileType.RegularFile)
                        {
                            index.Add(entry.Name, entry.HardLinkTarget is { } target && index.TryGetHash(target, out var linkedHash) ? linkedHash : s_emptyHash);
                        }
                    }
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"The bundle is truncated or corrupt at member '{Show(entry.Name)}': {e.Message}", e);
                }
            }

            // Reading to the end checks the gzip trailer (CRC and length) of the last member.
            try
            {
                var rest = new byte[4096];
                while (await decompressor.ReadAsync(rest, cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"The bundle's compressed data is corrupt: {e.Message}", e);
            }
        }

        tree.Complete();
        plain.Complete();
        throttle.ReportNow(new ImagingProgress(ImagingStages.Unbundle, null, entries, entries, compressedRead, total));
        var images = await ReadImagesAsync(destination, index, cancellationToken).ConfigureAwait(false);
        Log.BundleExtracted(_logger, destination, entries, bytes, images.Count);
        return new ExtractedBundle { Directory = destination, Images = images, Entries = entries, Bytes = bytes };
    }

    /// <summary>Releases the source unless it was left open.</summary>
    /// <returns>A task that completes when the source is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool InsideRootImageTree(string name)
    {
        var first = name.IndexOf('/', StringComparison.Ordinal);
        if (first < 0)
        {
            return false;
        }

        return name.AsSpan(first + 1).StartsWith(RootImageTreeDirectory + "/", StringComparison.Ordinal);
    }

    private static bool IsRootImageTree(string name)
    {
        var first = name.IndexOf('/', StringComparison.Ordinal);
        return first >= 0 && name.AsSpan(first + 1).SequenceEqual(RootImageTreeDirectory);
    }

    private static void CheckName(string name)
    {
        if (name.StartsWith('/'))
        {
            throw new InvalidDataException($"The bundle member '{Show(name)}' has an absolute path; refused.");
        }

        if (name.Split('/').Any(static part => part == ".."))
        {
            throw new InvalidDataException($"The bundle member '{Show(name)}' has a '..' component; refused.");
        }
    }

    /// <summary>
    /// Normalizes the names (<c>a//b</c> and <c>a/./b</c> are <c>a/b</c>, as on disk and in <c>SHA256SUMS</c>) and gives a
    /// tar hard link (type 1, read as a regular file) the type of the FIFO, device or link it names, so that it is
    /// linked and checked as what it is.
    /// </summary>
    private static TreeEntry Resolve(TreeEntry entry, MemberIndex index)
    {
        var name = TreePath.Normalize(entry.Name, "bundle member name");
        var target = entry.HardLinkTarget is { } link ? TreePath.Normalize(link, $"hard-link target of '{entry.Name}'") : null;
        var type = target is not null && index.TryGetSpecial(target, out var linked) ? linked : entry.Type;
        return name == entry.Name && target == entry.HardLinkTarget && type == entry.Type
            ? entry
            : entry with { Name = name, HardLinkTarget = target, Type = type };
    }

    private static void Check(TreeEntry entry)
    {
        var name = entry.Name;
        if (InsideRootImageTree(name))
        {
            return;
        }

        // The exemption covers what is below <image>/rootimg/, never rootimg itself: a link there would lead the
        // importer out of the bundle.
        if (IsRootImageTree(name) && entry.Type != UnixFileType.Directory)
        {
            throw new InvalidDataException($"The bundle member '{Show(name)}' is a {entry.Type}, but the unpacked root image must be a directory; refused.");
        }

        switch (entry.Type)
        {
            case UnixFileType.CharacterDevice or UnixFileType.BlockDevice:
                throw new InvalidDataException($"The bundle member '{Show(name)}' is a device, which only the unpacked root image may hold; refused.");
            case UnixFileType.Fifo or UnixFileType.Socket:
                throw new InvalidDataException($"The bundle member '{Show(name)}' is a {entry.Type}, which only the unpacked root image may hold; refused.");
            case UnixFileType.SymbolicLink when string.IsNullOrEmpty(entry.LinkTarget):
                throw new InvalidDataException($"The bundle member '{Show(name)}' is a symbolic link with an empty target; refused.");
            case UnixFileType.SymbolicLink when Escapes(name, entry.LinkTarget!):
                throw new InvalidDataException($"The bundle member '{Show(name)}' is a symbolic link to '{Show(entry.LinkTarget)}', outside the bundle; refused.");
        }
    }

    private static bool Escapes(string name, string target)
    {
        if (target.Length == 0 || target.StartsWith('/'))
        {
            return true;
        }

        // Resolve lexically from the link's directory; the bundle root is depth 0.
        var depth = name.Count(static c => c == '/');
        foreach (var part in target.Split('/'))
        {
            if (part == "..")
            {
                if (--depth < 1)
                {
                    return true;
                }
            }
            else if (part is not ("" or "."))
            {
                depth++;
            }
        }

        return false;
    }

    /// <summary>
    /// Outside the unpacked root image a member keeps neither set-user-ID nor set-group-ID, nor any extended attribute
    /// but <c>user.*</c> (no <c>security.capability</c>, SELinux label or <c>trusted.*</c>); its owner is the
    /// importing process (the plain extractor does not restore owners).
    /// </summary>
    private static TreeEntry WithoutPrivileges(TreeEntry entry)
    {
        var mode = entry.Mode & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup);
        var attributes = entry.ExtendedAttributes.Count == 0 || entry.ExtendedAttributes.Keys.All(static k => k.StartsWith("user.", StringComparison.Ordinal))
            ? entry.ExtendedAttributes
            : entry.ExtendedAttributes.Where(static a => a.Key.StartsWith("user.", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
        return mode == entry.Mode && ReferenceEquals(attributes, entry.ExtendedAttributes)
            ? entry
            : entry with { Mode = mode, ExtendedAttributes = attributes };
    }

    private static string Show(string? text) => Imaging.DisplayText.Escape(text);

    private async Task<List<ExtractedImage>> ReadImagesAsync(string destination, MemberIndex index, CancellationToken cancellationToken)
    {
        var images = new List<ExtractedImage>();
        if (!_fileSystem.Directory.Exists(destination))
        {
            // Nothing was extracted, so the extractor never created the directory.
            throw new InvalidDataException("The bundle holds no image directory (it is empty).");
        }

        var top = _fileSystem.Directory.EnumerateFileSystemEntries(destination)
            .Select(p => _fileSystem.Path.GetFileName(p)!)
            .Where(static n => !n.StartsWith('.')) // xCAT's imgport.pm, extract_bundle: imgimport globs '*'
            .Order(StringComparer.Ordinal)
            .ToList();
        if (top.Count == 0)
        {
            throw new InvalidDataException("The bundle holds no image directory (it is empty).");
        }

        var metadata = _metadata ?? UnixMetadataProvider.For(_fileSystem);
        foreach (var directoryName in top)
        {
            var path = _fileSystem.Path.Combine(destination, directoryName);
            var manifestPath = _fileSystem.Path.Combine(path, ManifestSerializer.FileName);
            if (metadata.TryGetStatus(path, out var status) && status.Type == UnixFileType.SymbolicLink)
            {
                throw new InvalidDataException($"The top-level bundle member '{Show(directoryName)}' is a symbolic link; an image directory must be a directory; refused.");
            }

            if (!_fileSystem.Directory.Exists(path) || !metadata.TryGetStatus(manifestPath, out var manifestStatus) || manifestStatus.Type != UnixFileType.RegularFile)
            {
                // xCAT's message (xCAT's imgport.pm, extract_bundle step 3.1), with the entry named.
                throw new InvalidDataException($"Failed to find manifest.xml file in image bundle (top-level entry '{Show(directoryName)}').");
            }

            BundleManifest manifest;
            try
            {
                using var stream = _fileSystem.File.OpenRead(manifestPath);
                manifest = await ManifestSerializer.DeserializeAsync(stream, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"invalid manifest.xml file inside the bundle ('{Show(directoryName)}').  Please verify the XML: {e.Message}", e);
            }

            var files = new ExtractedFileSet(index, metadata, _fileSystem.Directory.EnumerateFileSystemEntries, directoryName, path);
            var verified = index.Contains(directoryName + "/" + Sha256Sums.FileName);
            if (verified)
            {
                Verify(directoryName, path, index, files);
            }

            images.Add(new ExtractedImage { DirectoryName = directoryName, Path = path, Manifest = manifest, Verified = verified, Files = files });
        }

        return images;
    }

    /// <summary>Streams the image's <c>SHA256SUMS</c> against the index: each line is looked up and marked, one line in memory at a time.</summary>
    private void Verify(string directoryName, string path, MemberIndex index, ExtractedFileSet files)
    {
        var sumsPath = _fileSystem.Path.Combine(path, Sha256Sums.FileName);
        var where = $"{Show(directoryName)}/{Sha256Sums.FileName}";
        if (_fileSystem.FileInfo.New(sumsPath).Length > Sha256Sums.MaximumSize)
        {
            throw new InvalidDataException($"{where} is larger than {Sha256Sums.MaximumSize} bytes; refused.");
        }

        var listed = 0;
        using (var stream = _fileSystem.FileStream.New(sumsPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            foreach (var (lineNumber, name, hash) in Sha256Sums.Read(stream, where))
            {
                ref var entry = ref index.Find(directoryName + "/" + name);
                if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry) || name == Sha256Sums.FileName)
                {
                    throw new InvalidDataException($"The bundle lacks '{Show(directoryName)}/{Show(name)}', which {Sha256Sums.FileName} lists.");
                }

                if (entry.Listed)
                {
                    throw new InvalidDataException($"{where} lists '{Show(name)}' twice (line {lineNumber}).");
                }

                if (entry.Hash != hash)
                {
                    throw new InvalidDataException(
                        $"Checksum mismatch for '{Show(directoryName)}/{Show(name)}': {Sha256Sums.FileName} says {hash}, the member has {entry.Hash}.");
                }

                entry.Listed = true;
                listed++;
            }
        }

        if (listed < files.Count)
        {
            // Only now are names needed: the first member, in directory order, that no line listed.
            var uncovered = files.First(name => !index.Find(directoryName + "/" + name).Listed);
            throw new InvalidDataException($"The bundle member '{Show(directoryName)}/{Show(uncovered)}' is not covered by {Sha256Sums.FileName}; refused.");
        }

        Log.ChecksumsVerified(_logger, directoryName, listed);
    }
}
