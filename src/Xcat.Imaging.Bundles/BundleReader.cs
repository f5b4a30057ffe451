using System.IO.Abstractions;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Compression;
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
/// extracts everything first and reads the manifests afterwards (spec §2.2); our own bundles put each manifest first.</para>
/// <para><b>Refused</b>, each with an exception naming the member, before it is written: absolute names and <c>..</c>
/// components, writes through links (<see cref="TreeExtractor"/>'s confinement), symbolic links whose target is
/// absolute or leads out of the directory, devices, FIFOs, and members beyond the limits of
/// <see cref="BundleReaderOptions"/>. The unpacked root image a bundle may carry (<c>&lt;image&gt;/rootimg/</c>) is a
/// whole Linux tree, so inside it devices and any link target are allowed: its links are never followed. <c>rootimg</c> itself
/// must be a directory.</para>
/// <para>Truncated or corrupt gzip or tar data is an <see cref="InvalidDataException"/>.</para>
/// </remarks>
public sealed class BundleReader : IAsyncDisposable
{
    /// <summary>The directory name, inside an image directory, of the unpacked root image (<c>--with-rootimg-tree</c>).</summary>
    public const string RootImageTreeDirectory = "rootimg";

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

        var throttle = new Imaging.Internal.ProgressThrottle(progress);
        long? total = _source.CanSeek ? _source.Length - _source.Position : null;
        long compressedRead = 0;
        using var counting = new HashingReadStream(_source, read =>
        {
            compressedRead += read;
            throttle.Report(new ImagingProgress("Unbundling", null, 0, null, compressedRead, total));
        }, hash: false);
        var extractor = new TreeExtractor(destination, new TreeExtractionOptions(), _fileSystem, _metadata);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var specialTypes = new Dictionary<string, UnixFileType>(StringComparer.Ordinal);
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
                entry = Resolve(entry, specialTypes);
                Check(entry);
                if (entry.Type is not (UnixFileType.RegularFile or UnixFileType.Directory) && entry.HardLinkTarget is null)
                {
                    specialTypes[entry.Name] = entry.Type;
                }
                if (entry.Name == ".")
                {
                    continue;
                }

                if (entry.Length > _options.MaximumFileSize)
                {
                    throw new InvalidDataException($"The bundle member '{entry.Name}' is {entry.Length} bytes, above the limit of {_options.MaximumFileSize}; refused.");
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
                        hashes[entry.Name] = hashing.FinishHash();
                    }
                    else
                    {
                        await extractor.ExtractAsync(entry, null, cancellationToken).ConfigureAwait(false);
                        if (entry.Type == UnixFileType.RegularFile)
                        {
                            hashes[entry.Name] = entry.HardLinkTarget is { } target && hashes.TryGetValue(target, out var linked)
                                ? linked
                                : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ReadOnlySpan<byte>.Empty));
                        }
                    }
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"The bundle is truncated or corrupt at member '{entry.Name}': {e.Message}", e);
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

        extractor.Complete();
        throttle.Report(new ImagingProgress("Unbundling", null, entries, entries, compressedRead, total), force: true);
        var images = await ReadImagesAsync(destination, hashes, cancellationToken).ConfigureAwait(false);
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
            throw new InvalidDataException($"The bundle member '{name}' has an absolute path; refused.");
        }

        if (name.Split('/').Any(static part => part == ".."))
        {
            throw new InvalidDataException($"The bundle member '{name}' has a '..' component; refused.");
        }
    }

    /// <summary>
    /// Normalizes the names (<c>a//b</c> and <c>a/./b</c> are <c>a/b</c>, as on disk and in <c>SHA256SUMS</c>) and gives a
    /// tar hard link (type 1, read as a regular file) the type of the FIFO, device or link it names, so that it is
    /// linked and checked as what it is.
    /// </summary>
    private static TreeEntry Resolve(TreeEntry entry, Dictionary<string, UnixFileType> specialTypes)
    {
        var name = TreePath.Normalize(entry.Name, "bundle member name");
        var target = entry.HardLinkTarget is { } link ? TreePath.Normalize(link, $"hard-link target of '{entry.Name}'") : null;
        var type = target is not null && specialTypes.TryGetValue(target, out var linked) ? linked : entry.Type;
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
            throw new InvalidDataException($"The bundle member '{name}' is a {entry.Type}, but the unpacked root image must be a directory; refused.");
        }

        switch (entry.Type)
        {
            case UnixFileType.CharacterDevice or UnixFileType.BlockDevice:
                throw new InvalidDataException($"The bundle member '{name}' is a device, which only the unpacked root image may hold; refused.");
            case UnixFileType.Fifo or UnixFileType.Socket:
                throw new InvalidDataException($"The bundle member '{name}' is a {entry.Type}, which only the unpacked root image may hold; refused.");
            case UnixFileType.SymbolicLink when Escapes(name, entry.LinkTarget ?? string.Empty):
                throw new InvalidDataException($"The bundle member '{name}' is a symbolic link to '{entry.LinkTarget}', outside the bundle; refused.");
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

    private async Task<List<ExtractedImage>> ReadImagesAsync(string destination, Dictionary<string, string> hashes, CancellationToken cancellationToken)
    {
        var images = new List<ExtractedImage>();
        if (!_fileSystem.Directory.Exists(destination))
        {
            // Nothing was extracted, so the extractor never created the directory.
            throw new InvalidDataException("The bundle holds no image directory (it is empty).");
        }

        var top = _fileSystem.Directory.EnumerateFileSystemEntries(destination)
            .Select(p => _fileSystem.Path.GetFileName(p)!)
            .Where(static n => !n.StartsWith('.')) // spec §2.2: imgimport globs '*'
            .Order(StringComparer.Ordinal)
            .ToList();
        if (top.Count == 0)
        {
            throw new InvalidDataException("The bundle holds no image directory (it is empty).");
        }

        foreach (var directoryName in top)
        {
            var path = _fileSystem.Path.Combine(destination, directoryName);
            var manifestPath = _fileSystem.Path.Combine(path, ManifestSerializer.FileName);
            if (!_fileSystem.Directory.Exists(path) || !_fileSystem.File.Exists(manifestPath))
            {
                // xCAT's message (spec §2.2 step 3.1), with the entry named.
                throw new InvalidDataException($"Failed to find manifest.xml file in image bundle (top-level entry '{directoryName}').");
            }

            BundleManifest manifest;
            try
            {
                using var stream = _fileSystem.File.OpenRead(manifestPath);
                manifest = await ManifestSerializer.DeserializeAsync(stream, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"invalid manifest.xml file inside the bundle ('{directoryName}').  Please verify the XML: {e.Message}", e);
            }

            var prefix = directoryName + "/";
            var files = hashes.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..])
                .ToHashSet(StringComparer.Ordinal);
            var verified = files.Contains(Sha256Sums.FileName);
            if (verified)
            {
                Verify(directoryName, path, hashes, files);
                files.Remove(Sha256Sums.FileName);
            }

            images.Add(new ExtractedImage { DirectoryName = directoryName, Path = path, Manifest = manifest, Verified = verified, Files = files });
        }

        return images;
    }

    private void Verify(string directoryName, string path, Dictionary<string, string> hashes, HashSet<string> files)
    {
        var sumsPath = _fileSystem.Path.Combine(path, Sha256Sums.FileName);
        if (_fileSystem.FileInfo.New(sumsPath).Length > Sha256Sums.MaximumSize)
        {
            throw new InvalidDataException($"{directoryName}/{Sha256Sums.FileName} is larger than {Sha256Sums.MaximumSize} bytes; refused.");
        }

        var expected = Sha256Sums.Parse(_fileSystem.File.ReadAllText(sumsPath, Encoding.UTF8), $"{directoryName}/{Sha256Sums.FileName}");
        foreach (var (name, hash) in expected)
        {
            if (!files.Contains(name))
            {
                throw new InvalidDataException($"The bundle lacks '{directoryName}/{name}', which {Sha256Sums.FileName} lists.");
            }

            var actual = hashes[directoryName + "/" + name];
            if (!string.Equals(actual, hash, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Checksum mismatch for '{directoryName}/{name}': {Sha256Sums.FileName} says {hash}, the member has {actual}.");
            }
        }

        foreach (var name in files)
        {
            if (name != Sha256Sums.FileName && !expected.ContainsKey(name))
            {
                throw new InvalidDataException($"The bundle member '{directoryName}/{name}' is not covered by {Sha256Sums.FileName}; refused.");
            }
        }

        Log.ChecksumsVerified(_logger, directoryName, expected.Count);
    }
}
