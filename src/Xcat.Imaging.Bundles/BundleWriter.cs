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
/// Writes an image bundle: a gzip-compressed tar in the layout of xCAT's <c>tar czf &lt;bundle&gt; .</c> (xCAT's imgport.pm, make_bundle
/// step 11): members <c>./</c>, <c>./&lt;image&gt;/</c>, <c>./&lt;image&gt;/manifest.xml</c>, the referenced files flat by
/// basename and <c>./&lt;image&gt;/extra/...</c>. Files stream from their source straight into the archive; nothing is
/// staged.
/// </summary>
/// <remarks>
/// Write <see cref="WriteManifestAsync"/> first for each image so that a reader can stream; then add the files; then
/// call <see cref="CompleteAsync"/>, which writes a <c>SHA256SUMS</c> per image directory (see
/// <see cref="BundleWriterOptions.WriteChecksums"/>) and ends the tar and gzip streams. Parent directories are added
/// automatically. Entry names are POSIX paths relative to the bundle root, such as <c>img/kernel</c>.
/// </remarks>
public sealed class BundleWriter : IAsyncDisposable
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode DataMode = (UnixFileMode)0b110_100_100;
    private readonly Stream _destination;
    private readonly bool _leaveOpen;
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataProvider _metadata;
    private readonly ILogger _logger;
    private readonly BundleWriterOptions _options;
    private readonly Stream _compressor;
    private readonly PaxTreeWriter _tar;
    private readonly DateTimeOffset _directoryTime;
    private readonly ParentTracker _parents = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _hashes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hashByName = new(StringComparer.Ordinal);
    private bool _completed;
    private bool _disposed;

    /// <summary>Initializes a new instance. Nothing is written before the first entry.</summary>
    /// <param name="destination">The stream the <c>.tgz</c> is written to; need not be seekable.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="destination"/> open after disposing.</param>
    /// <param name="fileSystem">The file system the sources are read from; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">Reads owner, mode and times of sources; derived from <paramref name="fileSystem"/> when <see langword="null"/>.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not writable.</exception>
    public BundleWriter(Stream destination, BundleWriterOptions? options = null, bool leaveOpen = false, IFileSystem? fileSystem = null,
        IUnixMetadataProvider? metadata = null, ILogger<BundleWriter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream is not writable.", nameof(destination));
        }

        _destination = destination;
        _leaveOpen = leaveOpen;
        _options = options ?? new BundleWriterOptions();
        _fileSystem = fileSystem ?? new FileSystem();
        _metadata = metadata ?? UnixMetadataProvider.For(_fileSystem);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _directoryTime = _options.DirectoryTime ?? DateTimeOffset.UtcNow;
        _compressor = new ParallelGzipStream(destination, _options.Compression, _logger, leaveOpen: true);
        _tar = new PaxTreeWriter(_compressor, leaveOpen: true);
    }

    /// <summary>Gets the number of source bytes archived so far.</summary>
    public long SourceBytes { get; private set; }

    /// <summary>Gets the number of entries written so far, directories included.</summary>
    public long Entries { get; private set; }

    /// <summary>Called with the number of source bytes as they are read, for progress reports.</summary>
    internal Action<long>? DataRead { get; set; }

    /// <summary>Writes <c>&lt;imageDirectory&gt;/manifest.xml</c>. Write it before the image's other files.</summary>
    /// <param name="imageDirectory">The image directory name in the bundle (xCAT: the image name with spaces as <c>_</c>).</param>
    /// <param name="manifest">The manifest.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the entry is written.</returns>
    /// <exception cref="ArgumentException"><paramref name="imageDirectory"/> is not a single path component.</exception>
    /// <exception cref="IOException">The entry was already written.</exception>
    public Task WriteManifestAsync(string imageDirectory, BundleManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(imageDirectory);
        ArgumentNullException.ThrowIfNull(manifest);
        if (imageDirectory.Contains('/', StringComparison.Ordinal) || imageDirectory is "." or "..")
        {
            throw new ArgumentException($"'{imageDirectory}' is not a single directory name.", nameof(imageDirectory));
        }

        var bytes = Encoding.UTF8.GetBytes(ManifestSerializer.SerializeToString(manifest));
        return AddDataAsync(imageDirectory + "/" + ManifestSerializer.FileName, bytes, DataMode, cancellationToken);
    }

    /// <summary>Adds in-memory data as a regular file, such as a generated <c>litefile.csv</c>.</summary>
    /// <param name="entryName">The member name, relative to the bundle root.</param>
    /// <param name="data">The content.</param>
    /// <param name="mode">The permissions.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the entry is written.</returns>
    /// <exception cref="ArgumentException"><paramref name="entryName"/> is absolute, empty, or has <c>.</c>/<c>..</c> components.</exception>
    /// <exception cref="IOException">The entry was already written.</exception>
    public async Task AddDataAsync(string entryName, ReadOnlyMemory<byte> data, UnixFileMode mode, CancellationToken cancellationToken = default)
    {
        var name = PrepareName(entryName);
        var entry = new TreeEntry
        {
            Name = name,
            Type = UnixFileType.RegularFile,
            Mode = mode,
            ModificationTime = DateTimeOffset.UtcNow,
            Length = data.Length,
        };
        using var stream = new HashingReadStream(new MemoryStream(data.ToArray(), writable: false));
        await WriteEntryAsync(entry, stream, cancellationToken).ConfigureAwait(false);
        Record(name, stream.FinishHash());
    }

    /// <summary>
    /// Adds a file read from <paramref name="sourcePath"/>, following symbolic links as <c>cp</c> does, with its mode,
    /// owner and modification time.
    /// </summary>
    /// <param name="sourcePath">The source file.</param>
    /// <param name="entryName">The member name, relative to the bundle root.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the file is archived.</returns>
    /// <exception cref="ArgumentException"><paramref name="entryName"/> is absolute, empty, or has <c>.</c>/<c>..</c> components.</exception>
    /// <exception cref="FileNotFoundException"><paramref name="sourcePath"/> does not exist or is not a regular file.</exception>
    /// <exception cref="IOException">The entry was already written, or the file changed size while it was read.</exception>
    public async Task AddFileAsync(string sourcePath, string entryName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ValidateName(entryName);
        var resolved = Resolve(sourcePath);
        // A missing source must not pass as default(UnixFileStatus), whose type is RegularFile.
        if (!_metadata.TryGetStatus(resolved, out var status) || status.Type != UnixFileType.RegularFile)
        {
            throw new FileNotFoundException($"'{sourcePath}' is not a regular file.", sourcePath);
        }

        var name = PrepareName(entryName);

        using var source = _fileSystem.FileStream.New(resolved, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var compressed = await IsCompressedAsync(source, cancellationToken).ConfigureAwait(false);
        var entry = new TreeEntry
        {
            Name = name,
            Type = UnixFileType.RegularFile,
            Mode = status.Mode,
            Uid = status.Uid,
            Gid = status.Gid,
            ModificationTime = status.ModificationTime,
            Length = source.Length,
        };
        using var hashing = new HashingReadStream(source, DataRead);
        await WriteWithLevelAsync(entry, hashing, compressed, cancellationToken).ConfigureAwait(false);
        Record(name, hashing.FinishHash());
        Log.FileAdded(_logger, sourcePath, name, entry.Length, compressed);
    }

    /// <summary>
    /// Adds a directory tree with full metadata (type, mode, owner, times, links, devices, hard links, extended
    /// attributes) under <paramref name="entryName"/>, in <c>find | sort</c> order.
    /// </summary>
    /// <param name="sourceDirectory">The directory to add.</param>
    /// <param name="entryName">The member name of the directory, relative to the bundle root.</param>
    /// <param name="options">Walk options (filter, staying on one file system); <see langword="null"/> for the defaults.
    /// Extended attributes are always read, and hard-link data always goes with the first member, as tar needs.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the tree is archived.</returns>
    /// <exception cref="ArgumentException"><paramref name="entryName"/> is absolute, empty, or has <c>.</c>/<c>..</c> components.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="sourceDirectory"/> does not exist.</exception>
    public async Task AddDirectoryAsync(string sourceDirectory, string entryName, TreeWalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceDirectory);
        ValidateName(entryName);
        if (!_fileSystem.Directory.Exists(sourceDirectory))
        {
            throw new DirectoryNotFoundException($"The directory '{sourceDirectory}' does not exist.");
        }

        var prefix = PrepareName(entryName);

        var walkOptions = new TreeWalkOptions
        {
            StayOnFileSystem = options?.StayOnFileSystem ?? false,
            Filter = options?.Filter,
            IncludeRoot = true,
            ReadExtendedAttributes = true,
            HardLinkData = HardLinkDataPlacement.First,
        };
        var walker = new TreeWalker(_fileSystem, _metadata);
        foreach (var found in walker.Walk(sourceDirectory, walkOptions, cancellationToken))
        {
            var entry = found with
            {
                Name = found.Name == "." ? prefix : prefix + "/" + found.Name,
                HardLinkTarget = found.HardLinkTarget is null ? null : prefix + "/" + found.HardLinkTarget,
            };
            if (found.Name != "." && !_names.Add(entry.Name))
            {
                throw new IOException($"The bundle already has a member '{entry.Name}'.");
            }

            if (entry.Type == UnixFileType.Directory)
            {
                await WriteEntryAsync(entry, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (entry.HardLinkTarget is not null)
            {
                await WriteEntryAsync(entry, null, cancellationToken).ConfigureAwait(false);
                if (_hashByName.TryGetValue(entry.HardLinkTarget, out var linked))
                {
                    Record(entry.Name, linked);
                }

                continue;
            }

            if (entry.Type != UnixFileType.RegularFile)
            {
                await WriteEntryAsync(entry, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using var source = walker.OpenRead(found);
            using var hashing = new HashingReadStream(source, DataRead);
            await WriteEntryAsync(entry, hashing, cancellationToken).ConfigureAwait(false);
            Record(entry.Name, hashing.FinishHash());
        }
    }

    /// <summary>
    /// Writes the <c>SHA256SUMS</c> of each image directory (unless turned off), ends the tar archive and the gzip
    /// stream, and flushes the destination. Nothing can be added afterwards.
    /// </summary>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the bundle is whole.</returns>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return;
        }

        if (_options.WriteChecksums)
        {
            foreach (var (directory, hashes) in _hashes.OrderBy(static p => p.Key, StringComparer.Ordinal))
            {
                var text = Sha256Sums.Format(hashes);
                await AddDataAsync(directory + "/" + Sha256Sums.FileName, Imaging.Unix.UnixNameEncoding.GetBytes(text), DataMode, cancellationToken).ConfigureAwait(false);
            }
        }

        _completed = true;
        await _tar.FinishAsync(cancellationToken).ConfigureAwait(false);
        await _compressor.DisposeAsync().ConfigureAwait(false);
        await _destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the streams; a bundle not completed is left unfinished (write it to a temp file).</summary>
    /// <returns>A task that completes when the streams are released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await _tar.DisposeAsync().ConfigureAwait(false);
            await _compressor.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (!_completed && e is IOException or InvalidOperationException)
        {
            // An unfinished bundle is being thrown away; the first failure was already reported.
        }
        finally
        {
            if (!_leaveOpen)
            {
                await _destination.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // A squashfs image (rootimg.sfs) is compressed inside; its magic is the filesystem's, not a compressor's.
    internal static bool IsCompressedMagic(ReadOnlySpan<byte> head) =>
        CompressionDetector.Detect(head) != CompressionMethod.None || head.StartsWith("hsqs"u8);

    private async Task<bool> IsCompressedAsync(Stream source, CancellationToken cancellationToken)
    {
        if (!_options.StoreCompressedMembers || !source.CanSeek)
        {
            return false;
        }

        var head = new byte[6];
        var read = await source.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        source.Position = 0;
        return IsCompressedMagic(head.AsSpan(0, read));
    }

    private async Task WriteWithLevelAsync(TreeEntry entry, Stream data, bool store, CancellationToken cancellationToken)
    {
        if (!store || _compressor is not ParallelGzipStream gzip)
        {
            await WriteEntryAsync(entry, data, cancellationToken).ConfigureAwait(false);
            return;
        }

        var level = gzip.DataLevel;
        gzip.DataLevel = 0;
        try
        {
            await WriteEntryAsync(entry, data, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gzip.DataLevel = level;
        }
    }

    private async Task WriteEntryAsync(TreeEntry entry, Stream? data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The bundle is complete; nothing can be added.");
        }

        await WriteParentsAsync(entry, cancellationToken).ConfigureAwait(false);
        await _tar.WriteAsync(entry, data, cancellationToken).ConfigureAwait(false);
        Entries++;
        if (entry.Type == UnixFileType.RegularFile && entry.HardLinkTarget is null)
        {
            SourceBytes += entry.Length;
        }
    }

    private async Task WriteParentsAsync(TreeEntry entry, CancellationToken cancellationToken)
    {
        if (Entries == 0)
        {
            await _tar.WriteAsync(Directory("."), null, cancellationToken).ConfigureAwait(false);
            Entries++;
        }

        foreach (var parent in _parents.Enter(entry))
        {
            _names.Add(parent);
            await _tar.WriteAsync(Directory(parent), null, cancellationToken).ConfigureAwait(false);
            Entries++;
        }
    }

    private TreeEntry Directory(string name) => new()
    {
        Name = name,
        Type = UnixFileType.Directory,
        Mode = DirectoryMode,
        ModificationTime = _directoryTime,
    };

    /// <summary>Checks the name without reserving it, so that a source that turns out missing leaves it free.</summary>
    private static string ValidateName(string entryName)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryName);
        var name = entryName.StartsWith("./", StringComparison.Ordinal) ? entryName[2..] : entryName;
        if (name.Length == 0 || name[0] == '/' || name.EndsWith('/') || name.Split('/').Any(static part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"'{entryName}' is not a relative member name without '.' or '..' components.", nameof(entryName));
        }

        return name;
    }

    private string PrepareName(string entryName)
    {
        var name = ValidateName(entryName);
        if (!_names.Add(name))
        {
            throw new IOException($"The bundle already has a member '{name}'.");
        }

        return name;
    }

    private void Record(string name, string hash)
    {
        _hashByName[name] = hash;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return;
        }

        var directory = name[..slash];
        if (!_hashes.TryGetValue(directory, out var hashes))
        {
            _hashes[directory] = hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        hashes[name[(slash + 1)..]] = hash;
    }

    private string Resolve(string path)
    {
        var full = _fileSystem.Path.GetFullPath(path);
        try
        {
            var target = _fileSystem.File.ResolveLinkTarget(full, returnFinalTarget: true);
            return target?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }
}
