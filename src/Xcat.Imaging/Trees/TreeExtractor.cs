using System.Buffers;
using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Trees;

/// <summary>
/// Recreates <see cref="TreeEntry"/> values under one destination directory, confined to it (style study A.11), then
/// applies directory modes and times in <see cref="Complete"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Confinement.</b> Absolute names, <c>..</c> components, a name whose parent is a symbolic link or other
/// non-directory (such as a link created by an earlier entry: the symlink-then-write attack), and hard links whose
/// target is outside, not yet extracted, of another type, or reached through a symbolic link, all throw an
/// <see cref="IOException"/> naming the entry before anything is written. Files are created with <c>O_EXCL</c>, so an
/// existing link is never followed; it is replaced only when <see cref="TreeExtractionOptions.Overwrite"/> allows.
/// Symbolic links themselves may point anywhere: the extractor never follows them.
/// </para>
/// <para>
/// <b>Metadata</b> of a non-directory is applied as soon as it is written, in the order data, owner (<c>lchown</c>),
/// mode (<c>chmod</c>, after <c>lchown</c>, which clears set-user-ID), extended attributes (after <c>lchown</c> and
/// data, which clear <c>security.capability</c>), modification time (<c>utimensat</c> without following a link).
/// Directories are created owner-only and get their owner and attributes at once, but their mode and time only in
/// <see cref="Complete"/>, deepest first, so that adding children neither fails on a read-only mode nor changes the
/// time. Missing parent directories are created with the default mode.
/// </para>
/// <para>
/// <b>Hard links</b> come either grouped (same <see cref="TreeEntry.Inode"/> and type, <see cref="TreeEntry.LinkCount"/>
/// above 1: the first member is created, later members are linked to it and, if they carry data, write it into the
/// shared file, so the data may sit on the first member like bsdtar and the kernel or on the last like GNU cpio) or
/// linked (<see cref="TreeEntry.HardLinkTarget"/> names an earlier entry, as tar does). A linked entry of type
/// <see cref="UnixFileType.RegularFile"/> without data takes the type of what it names (a symbolic link, FIFO or
/// device), since tar's hard-link header does not say; a hard link to a directory is refused.
/// </para>
/// <para>
/// <b>Failures</b> name the entry: an I/O error of the file system, which quotes a host path at best, is wrapped in an
/// <see cref="IOException"/> (or <see cref="UnauthorizedAccessException"/>) that names it, names are escaped with
/// <see cref="DisplayText.Escape"/>, and a <c>user.*</c> attribute on a symbolic link, FIFO, socket or device, which
/// Linux refuses (xattr(7)), is logged as a warning (event 5127) and left out, as GNU tar does.
/// </para>
/// <para>
/// <b>Devices</b> need privilege: when <c>mknod</c> is refused the node is skipped, logged as a warning (event 5121),
/// and counted in <see cref="TreeExtractionResult.SkippedDevices"/>.
/// </para>
/// <para>
/// <b>Memory</b> grows with the number of directories (their deferred modes) and of incomplete hard-link groups, not
/// with the number of files (except in a destination that held something before, where the names of the files this
/// run created are kept to tell its own duplicates from what existed).
/// </para>
/// <para>
/// <b>Duplicates</b> (<c>tar -r</c>): a later non-directory replaces a non-directory this run created, as GNU tar and
/// bsdtar do; a directory is never replaced that way, and Overwrite keeps its meaning for what existed before.
/// <b>Holes</b>: data that implements the internal sparse interface (GNU sparse tar members) is written segment by
/// segment with seeks over the holes, so the file keeps them where the file system supports them.
/// </para>
/// </remarks>
public sealed class TreeExtractor
{
    private const int BufferSize = 128 * 1024;
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataWriter _writer;
    private readonly ILogger _logger;
    private readonly bool _overwrite;
    private readonly bool _applyAttributes;
    private readonly Dictionary<string, DeferredDirectory> _directories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownDirectories = new(StringComparer.Ordinal);
    private readonly Dictionary<GroupKey, LinkGroup> _groups = [];

    /// <summary>The non-directories this run created, when the destination held anything before it (else all are its own).</summary>
    private HashSet<string>? _createdHere;
    private bool _preserveOwnership;
    private bool _started;
    private TreeExtractionResult? _completed;
    private long _entries;
    private long _files;
    private long _directoryCount;
    private long _symbolicLinks;
    private long _hardLinks;
    private long _devices;
    private long _specialFiles;
    private long _skippedDevices;
    private long _bytes;

    /// <summary>Initializes a new instance. Nothing is touched on disk before the first entry.</summary>
    /// <param name="destinationDirectory">The directory to extract into; created when missing.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults. Read once, here.</param>
    /// <param name="fileSystem">The file system to create files, directories and symbolic links on; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">The writer for the metadata <paramref name="fileSystem"/> lacks; <see cref="UnixMetadataProvider.For"/> of <paramref name="fileSystem"/> when <see langword="null"/>.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="destinationDirectory"/> is empty.</exception>
    public TreeExtractor(string destinationDirectory, TreeExtractionOptions? options = null, IFileSystem? fileSystem = null,
        IUnixMetadataWriter? metadata = null, ILogger<TreeExtractor>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationDirectory);
        _fileSystem = fileSystem ?? new FileSystem();
        _writer = metadata ?? UnixMetadataProvider.For(_fileSystem);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        options ??= new TreeExtractionOptions();
        _overwrite = options.Overwrite;
        _preserveOwnership = options.PreserveOwnership;
        _applyAttributes = options.ApplyExtendedAttributes;
        DestinationDirectory = _fileSystem.Path.GetFullPath(destinationDirectory);
    }

    /// <summary>Gets the full path of the destination directory.</summary>
    public string DestinationDirectory { get; }

    /// <summary>Creates one entry under the destination.</summary>
    /// <param name="entry">The entry; its parents need not have been extracted before.</param>
    /// <param name="data">
    /// The data of a regular file: exactly <see cref="TreeEntry.Length"/> bytes are read from it, and it is not
    /// disposed. Ignored when the entry carries no data.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="entry"/> is inconsistent (a symbolic link without target, a negative length), or <paramref name="data"/> is missing for an entry with data.</exception>
    /// <exception cref="IOException">The entry would escape the destination, already exists without <see cref="TreeExtractionOptions.Overwrite"/>, or is a hard link to something not extracted.</exception>
    /// <exception cref="InvalidDataException"><paramref name="data"/> ends before <see cref="TreeEntry.Length"/> bytes.</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not set the owner while <see cref="TreeExtractionOptions.PreserveOwnership"/> is on.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Complete"/> was called.</exception>
    public void Extract(TreeEntry entry, Stream? data = null)
    {
        try
        {
            ExtractCore(entry, data);
        }
        catch (Exception e) when (IsUnnamed(e, entry))
        {
            throw Named(e, entry);
        }
    }

    /// <summary>Creates one entry under the destination, reading its data asynchronously.</summary>
    /// <param name="entry">The entry; its parents need not have been extracted before.</param>
    /// <param name="data">
    /// The data of a regular file: exactly <see cref="TreeEntry.Length"/> bytes are read from it, and it is not
    /// disposed. Ignored when the entry carries no data.
    /// </param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the entry and its metadata are written.</returns>
    /// <exception cref="ArgumentException"><paramref name="entry"/> is inconsistent (a symbolic link without target, a negative length), or <paramref name="data"/> is missing for an entry with data.</exception>
    /// <exception cref="IOException">The entry would escape the destination, already exists without <see cref="TreeExtractionOptions.Overwrite"/>, or is a hard link to something not extracted.</exception>
    /// <exception cref="InvalidDataException"><paramref name="data"/> ends before <see cref="TreeEntry.Length"/> bytes.</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not set the owner while <see cref="TreeExtractionOptions.PreserveOwnership"/> is on.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Complete"/> was called.</exception>
    public Task ExtractAsync(TreeEntry entry, Stream? data = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PendingData? pending;
        try
        {
            pending = Begin(entry, data);
        }
        catch (Exception e) when (IsUnnamed(e, entry))
        {
            throw Named(e, entry);
        }

        return pending is null ? Task.CompletedTask : CopyAsync(pending, data!, cancellationToken);
    }

    /// <summary>
    /// Applies the deferred modes and modification times of the directory entries, deepest first, and ends the
    /// extraction. Calling it again returns the same result.
    /// </summary>
    /// <returns>What was extracted.</returns>
    public TreeExtractionResult Complete()
    {
        if (_completed is not null)
        {
            return _completed;
        }

        foreach (var name in _directories.Keys.OrderByDescending(name => name, TreePath.Comparer))
        {
            var directory = _directories[name];
            var path = HostPath(name);

            // Only a directory this run created or merged, never what replaced it (chmod follows links).
            try
            {
                if (_writer.TryGetStatus(path, out var status) && status.Type == UnixFileType.Directory)
                {
                    _writer.SetMode(path, directory.Mode);
                    _writer.SetModificationTime(path, directory.ModificationTime);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Named(e, new TreeEntry { Name = name, Type = UnixFileType.Directory });
            }
        }

        _completed = new TreeExtractionResult
        {
            Entries = _entries,
            Files = _files,
            Directories = _directoryCount,
            SymbolicLinks = _symbolicLinks,
            HardLinks = _hardLinks,
            Devices = _devices,
            SpecialFiles = _specialFiles,
            SkippedDevices = _skippedDevices,
            Bytes = _bytes,
        };
        Log.TreeExtractFinished(_logger, _entries, _bytes, DestinationDirectory, _skippedDevices);
        return _completed;
    }

    /// <summary>
    /// Whether a failure does not say which entry it is about: an I/O error from the file system quotes a host path at
    /// best, so it is wrapped in one that names the entry (and escapes control characters, which a host path may hold).
    /// </summary>
    private static bool IsUnnamed(Exception e, TreeEntry entry)
        => e is IOException or UnauthorizedAccessException && !e.Message.Contains($"'{Show(entry.Name)}'", StringComparison.Ordinal);

    private static Exception Named(Exception e, TreeEntry entry)
    {
        var message = $"Extracting '{Show(entry.Name)}' failed: {DisplayText.EscapeControlCharacters(e.Message)}";
        return e is UnauthorizedAccessException ? new UnauthorizedAccessException(message, e) : new IOException(message, e);
    }

    private void ExtractCore(TreeEntry entry, Stream? data)
    {
        var pending = Begin(entry, data);
        if (pending is null)
        {
            return;
        }

        using (pending.Output)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                var remaining = entry.Length;
                while (remaining > 0)
                {
                    if (SkipHole(pending, data, remaining) is var hole and > 0)
                    {
                        remaining -= hole;
                        continue;
                    }

                    var read = data!.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                    if (read == 0)
                    {
                        throw Truncated(entry, remaining);
                    }

                    pending.Output.Write(buffer, 0, read);
                    remaining -= read;
                }

                EndSparse(pending, data);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        Finish(pending);
    }

    private async Task CopyAsync(PendingData pending, Stream data, CancellationToken cancellationToken)
    {
        try
        {
            await CopyCoreAsync(pending, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnnamed(e, pending.Entry))
        {
            throw Named(e, pending.Entry);
        }
    }

    private async Task CopyCoreAsync(PendingData pending, Stream data, CancellationToken cancellationToken)
    {
        var output = pending.Output;
        await using (output.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                var remaining = pending.Entry.Length;
                while (remaining > 0)
                {
                    if (SkipHole(pending, data, remaining) is var hole and > 0)
                    {
                        remaining -= hole;
                        continue;
                    }

                    var read = await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken)
                        .ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw Truncated(pending.Entry, remaining);
                    }

                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    remaining -= read;
                }

                EndSparse(pending, data);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        Finish(pending);
    }

    /// <summary>
    /// Validates and creates the entry. Returns the open output when a regular file's data is still to be written
    /// (then <see cref="Finish"/> applies the metadata), otherwise <see langword="null"/> with everything done.
    /// </summary>
    private PendingData? Begin(TreeEntry entry, Stream? data)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_completed is not null)
        {
            throw new InvalidOperationException("The extraction is complete; create a new extractor.");
        }

        Validate(entry, data);
        var name = TreePath.Normalize(entry.Name, "entry name");
        var linkSource = entry.HardLinkTarget is { } target ? TreePath.Normalize(target, $"hard-link target of '{Show(entry.Name)}'") : null;
        Start();
        _entries++;
        if (entry.Type == UnixFileType.Directory)
        {
            ExtractDirectory(entry, name);
            return null;
        }

        if (name == ".")
        {
            throw new IOException($"The entry '{Show(entry.Name)}' names the destination itself but is a {entry.Type}, not a directory.");
        }

        EnsureDirectories(TreePath.Parent(name), entry, create: true);
        var path = HostPath(name);
        if (_writer.TryGetStatus(path, out var existing) && !ReplaceDuplicate(name, path, existing))
        {
            Remove(entry, name, path, existing);
        }

        // Grouped hard links: the first member is created, later ones are linked to it.
        GroupKey? newGroup = null;
        if (linkSource is null && entry.IsHardLinkGroupMember)
        {
            var key = new GroupKey(entry.Inode, entry.Type);
            if (_groups.TryGetValue(key, out var group))
            {
                group.Seen++;
                if (group.Seen >= entry.LinkCount)
                {
                    _groups.Remove(key);
                }

                if (group.Skipped)
                {
                    Skip(entry, "it is a hard link to a node that was skipped");
                    return null;
                }

                linkSource = group.FirstName;
            }
            else
            {
                newGroup = key;
            }
        }

        PendingData? pending = null;
        var created = true;
        if (linkSource is not null)
        {
            if (Link(entry, linkSource, path) is var linkedType && linkedType != entry.Type)
            {
                entry = entry with { Type = linkedType };
            }

            if (entry.Type == UnixFileType.RegularFile && entry.Length > 0)
            {
                // An earlier member may have made the shared file read-only; its final mode follows the data.
                _writer.SetMode(path, OwnerOnly);
                pending = new PendingData(entry, path, Open(path, FileMode.Truncate));
            }
        }
        else
        {
            switch (entry.Type)
            {
                case UnixFileType.RegularFile:
                    pending = new PendingData(entry, path, Open(path, FileMode.CreateNew));
                    _files++;
                    break;
                case UnixFileType.SymbolicLink:
                    _writer.CreateSymbolicLink(path, entry.LinkTarget!);
                    _symbolicLinks++;
                    break;
                default:
                    created = CreateSpecialFile(entry, path);
                    break;
            }
        }

        if (created)
        {
            _createdHere?.Add(name);
        }

        if (newGroup is { } newKey && entry.LinkCount > 1)
        {
            _groups[newKey] = new LinkGroup(name) { Seen = 1, Skipped = !created };
        }

        if (pending is not null)
        {
            if (entry.Length > 0)
            {
                return pending;
            }

            pending.Output.Dispose();
        }

        if (created)
        {
            ApplyMetadata(entry, path);
        }

        return null;
    }

    private void Finish(PendingData pending)
    {
        _bytes += pending.Entry.Length;
        ApplyMetadata(pending.Entry, pending.Path);
    }

    private static void Validate(TreeEntry entry, Stream? data)
    {
        if (!Enum.IsDefined(entry.Type))
        {
            throw new ArgumentException($"The entry '{Show(entry.Name)}' has an unknown type {entry.Type}.", nameof(entry));
        }

        if (string.IsNullOrEmpty(entry.Name))
        {
            throw new ArgumentException("The entry has an empty name.", nameof(entry));
        }

        if (entry.Length < 0 || (entry.Length > 0 && entry.Type != UnixFileType.RegularFile))
        {
            throw new ArgumentException($"The entry '{Show(entry.Name)}' is a {entry.Type} with length {entry.Length}.", nameof(entry));
        }

        if (entry.Type == UnixFileType.SymbolicLink && string.IsNullOrEmpty(entry.LinkTarget) && entry.HardLinkTarget is null)
        {
            throw new ArgumentException($"The symbolic link '{Show(entry.Name)}' has no target.", nameof(entry));
        }

        if (entry.Type == UnixFileType.Directory && entry.HardLinkTarget is not null)
        {
            throw new ArgumentException($"The directory '{Show(entry.Name)}' cannot be a hard link.", nameof(entry));
        }

        if (entry.Length > 0 && data is null)
        {
            throw new ArgumentException($"The entry '{Show(entry.Name)}' carries {entry.Length} bytes but no data stream was given.", nameof(data));
        }
    }

    private void Start()
    {
        if (_started)
        {
            return;
        }

        Log.TreeExtractStarted(_logger, DestinationDirectory);
        TrackCreatedNames();
        _fileSystem.Directory.CreateDirectory(DestinationDirectory);
        _started = true;
    }

    private void ExtractDirectory(TreeEntry entry, string name)
    {
        _directoryCount++;
        var path = HostPath(name);
        if (name != ".")
        {
            EnsureDirectories(TreePath.Parent(name), entry, create: true);
            var exists = _writer.TryGetStatus(path, out var existing);
            if (exists && existing.Type != UnixFileType.Directory)
            {
                Remove(entry, name, path, existing);
                exists = false;
            }

            if (!exists)
            {
                CreateDirectory(path);
            }

            _knownDirectories.Add(name);
        }

        if (_preserveOwnership)
        {
            SetOwner(entry, path);
        }

        SetAttributes(entry, path);
        _directories[name] = new DeferredDirectory(entry.Mode, entry.ModificationTime);
        Log.TreeExtracted(_logger, entry.Type, Show(entry.Name));
    }

    /// <summary>
    /// Makes sure every directory of <paramref name="directoryName"/> is a real directory inside the destination,
    /// creating missing ones when <paramref name="create"/> is set; a symbolic link or file on the way throws.
    /// </summary>
    private void EnsureDirectories(string directoryName, TreeEntry entry, bool create)
    {
        if (directoryName == "." || _knownDirectories.Contains(directoryName))
        {
            return;
        }

        var end = 0;
        while (end < directoryName.Length)
        {
            var slash = directoryName.IndexOf('/', end);
            end = slash < 0 ? directoryName.Length : slash;
            var prefix = directoryName[..end];
            end++;
            if (_knownDirectories.Contains(prefix))
            {
                continue;
            }

            var path = HostPath(prefix);
            if (!_writer.TryGetStatus(path, out var status))
            {
                if (!create)
                {
                    throw new IOException($"The hard link '{Show(entry.Name)}' points below '{Show(prefix)}', which has not been extracted.");
                }

                CreateDirectory(path);
            }
            else if (status.Type != UnixFileType.Directory)
            {
                throw new IOException(
                    $"The entry '{Show(entry.Name)}' would be written through '{Show(prefix)}', which is a {status.Type}, not a directory; refusing to leave the destination.");
            }

            _knownDirectories.Add(prefix);
        }
    }

    /// <summary>
    /// Duplicate members (<c>tar -r</c>, two members of one name): a non-directory this run created is replaced by a
    /// later non-directory of the same name, as GNU tar and bsdtar do, whatever <see cref="TreeExtractionOptions.Overwrite"/>
    /// says, since it is about what existed before. Directories are not replaced here: a directory duplicate merges,
    /// and a directory replaced by a link would redirect later writes. Returns whether it removed the earlier one.
    /// </summary>
    private bool ReplaceDuplicate(string name, string path, UnixFileStatus existing)
    {
        if (existing.Type == UnixFileType.Directory || _createdHere?.Contains(name) == false)
        {
            return false;
        }

        _fileSystem.File.Delete(path); // unlink: a link is removed, never followed
        Log.TreeReplaced(_logger, DisplayText.Escape(path));
        return true;
    }

    /// <summary>
    /// Names created by this run need recording only when the destination already held something: otherwise
    /// everything in it is this run's own, and memory does not grow with the number of files.
    /// </summary>
    private void TrackCreatedNames()
    {
        if (_fileSystem.Directory.Exists(DestinationDirectory) && _fileSystem.Directory.EnumerateFileSystemEntries(DestinationDirectory).Any())
        {
            _createdHere = new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// For the data of a sparse file: steps over the hole at the data's position by seeking the output, so that the
    /// file keeps its holes where the file system supports them. Returns the hole's length (0 at data or for other files).
    /// </summary>
    private static long SkipHole(PendingData pending, Stream? data, long remaining)
    {
        if (data is not ISparseData sparse)
        {
            return 0;
        }

        var hole = sparse.SkipHole();
        if (hole > remaining)
        {
            throw new InvalidDataException($"The data of '{Show(pending.Entry.Name)}' has a hole past its length {pending.Entry.Length}.");
        }

        pending.Output.Seek(hole, SeekOrigin.Current);
        return hole;
    }

    /// <summary>A sparse file that ends in a hole gets its length from the size, not from a write.</summary>
    private static void EndSparse(PendingData pending, Stream? data)
    {
        if (data is ISparseData)
        {
            pending.Output.SetLength(pending.Entry.Length);
        }
    }

    /// <summary>Removes what exists at the entry's name, if <see cref="TreeExtractionOptions.Overwrite"/> allows.</summary>
    private void Remove(TreeEntry entry, string name, string path, UnixFileStatus existing)
    {
        if (!_overwrite)
        {
            throw new IOException($"The entry '{Show(entry.Name)}' already exists in the destination as a {existing.Type}; set Overwrite to replace it.");
        }

        if (existing.Type == UnixFileType.Directory)
        {
            _writer.Delete(path); // IOException unless empty
            _directories.Remove(name);
            _knownDirectories.Clear();
        }
        else
        {
            _writer.Delete(path);
        }

        Log.TreeReplaced(_logger, DisplayText.Escape(path));
    }

    /// <summary>Links <paramref name="path"/> to an extracted entry; returns the type of what it now names.</summary>
    private UnixFileType Link(TreeEntry entry, string sourceName, string path)
    {
        if (sourceName == ".")
        {
            throw new IOException($"The hard link '{Show(entry.Name)}' points to the destination directory itself.");
        }

        EnsureDirectories(TreePath.Parent(sourceName), entry, create: false);
        var source = HostPath(sourceName);
        if (!_writer.TryGetStatus(source, out var status))
        {
            throw new IOException($"The hard link '{Show(entry.Name)}' points to '{Show(sourceName)}', which has not been extracted.");
        }

        if (status.Type == UnixFileType.Directory)
        {
            throw new IOException($"The hard link '{Show(entry.Name)}' points to '{Show(sourceName)}', which is a directory; a directory cannot be hard-linked.");
        }

        // A tar hard link (type 1) does not say what it names: like tar's link(2), it takes the type of its target.
        var untyped = entry.HardLinkTarget is not null && entry.Type == UnixFileType.RegularFile && entry.Length == 0;
        if (status.Type != entry.Type && !untyped)
        {
            throw new IOException($"The hard link '{Show(entry.Name)}' is a {entry.Type} but points to '{Show(sourceName)}', a {status.Type}.");
        }

        _writer.CreateHardLink(source, path);
        _hardLinks++;
        return status.Type;
    }

    private bool CreateSpecialFile(TreeEntry entry, string path)
    {
        try
        {
            switch (entry.Type)
            {
                case UnixFileType.CharacterDevice or UnixFileType.BlockDevice:
                    _writer.CreateDevice(path, entry.Type, OwnerOnly, entry.DeviceMajor, entry.DeviceMinor);
                    _devices++;
                    break;
                case UnixFileType.Fifo:
                    _writer.CreateFifo(path, OwnerOnly);
                    _specialFiles++;
                    break;
                default:
                    _writer.CreateSocket(path, OwnerOnly);
                    _specialFiles++;
                    break;
            }

            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or PlatformNotSupportedException)
        {
            Skip(entry, e.Message);
            return false;
        }
    }

    private void Skip(TreeEntry entry, string reason)
    {
        _skippedDevices++;
        Log.TreeSkippedSpecialFile(_logger, entry.Type, Show(entry.Name), reason);
    }

    private void ApplyMetadata(TreeEntry entry, string path)
    {
        if (_preserveOwnership)
        {
            SetOwner(entry, path);
        }

        if (entry.Type != UnixFileType.SymbolicLink)
        {
            _writer.SetMode(path, entry.Mode);
        }

        SetAttributes(entry, path);
        try
        {
            _writer.SetModificationTime(path, entry.ModificationTime);
        }
        catch (PlatformNotSupportedException) when (entry.Type == UnixFileType.SymbolicLink)
        {
            // The portable writer cannot set a link's own time; documented there.
        }

        Log.TreeExtracted(_logger, entry.Type, Show(entry.Name));
    }

    private void SetOwner(TreeEntry entry, string path)
    {
        try
        {
            _writer.SetOwner(path, entry.Uid, entry.Gid);
        }
        catch (PlatformNotSupportedException e)
        {
            _preserveOwnership = false;
            Log.TreeOwnersNotRestored(_logger, DestinationDirectory, e.Message);
        }
    }

    private void SetAttributes(TreeEntry entry, string path)
    {
        if (!_applyAttributes)
        {
            return;
        }

        foreach (var (name, value) in entry.ExtendedAttributes)
        {
            try
            {
                _writer.SetExtendedAttribute(path, name, value);
            }
            catch (PlatformNotSupportedException e)
            {
                Log.TreeAttributesNotRestored(_logger, DestinationDirectory, e.Message);
                return;
            }
            catch (UnauthorizedAccessException e) when (name.StartsWith("user.", StringComparison.Ordinal)
                                                         && entry.Type is not (UnixFileType.RegularFile or UnixFileType.Directory))
            {
                // Linux allows user.* attributes only on regular files and directories (xattr(7)); GNU tar warns and goes on.
                Log.TreeAttributeRefused(_logger, DisplayText.Escape(name), entry.Type, Show(entry.Name), e.Message);
            }
        }
    }

    // Owner-only until Complete applies the entry's mode; set again because the umask may take bits away.
    private void CreateDirectory(string path)
    {
        _writer.CreateDirectory(path, OwnerOnlyDirectory);
        _writer.SetMode(path, OwnerOnlyDirectory);
    }

    // Owner-only for a new file: the final mode follows the data.
    private Stream Open(string path, FileMode mode) => _writer.OpenWrite(path, mode, OwnerOnly);

    private static string Show(string name) => DisplayText.Escape(name);

    private string HostPath(string name) => name == "." ? DestinationDirectory : _fileSystem.Path.Join(DestinationDirectory, name);

    private static InvalidDataException Truncated(TreeEntry entry, long remaining)
        => new($"The data of '{Show(entry.Name)}' ended after {entry.Length - remaining} of {entry.Length} bytes.");

    private static UnixFileMode OwnerOnly => UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static UnixFileMode OwnerOnlyDirectory => UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private sealed record PendingData(TreeEntry Entry, string Path, Stream Output);

    private readonly record struct DeferredDirectory(UnixFileMode Mode, DateTimeOffset ModificationTime);

    private readonly record struct GroupKey(ulong Inode, UnixFileType Type);

    private sealed class LinkGroup(string firstName)
    {
        public string FirstName { get; } = firstName;

        public long Seen { get; set; }

        public bool Skipped { get; set; }
    }
}
