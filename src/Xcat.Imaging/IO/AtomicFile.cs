using System.IO.Abstractions;

namespace Xcat.Imaging.IO;

/// <summary>
/// An output file that appears whole or not at all: written to a temp file beside the target, flushed to disk, given
/// its mode, then renamed over the target. Disposing without <see cref="Commit"/> deletes the temp file, so a failure
/// or cancellation leaves the previous target untouched and nothing behind (xCAT issue #1940).
/// </summary>
public sealed class AtomicFile : IDisposable, IAsyncDisposable
{
    private readonly IFileSystem _fileSystem;
    private readonly FileSystemStream _stream;
    private readonly UnixFileMode _mode;
    private bool _done;

    private AtomicFile(IFileSystem fileSystem, string targetPath, string tempPath, FileSystemStream stream, UnixFileMode mode)
    {
        _fileSystem = fileSystem;
        TargetPath = targetPath;
        TempPath = tempPath;
        _stream = stream;
        _mode = mode;
    }

    /// <summary>Gets the full path of the file that appears on <see cref="Commit"/>.</summary>
    public string TargetPath { get; }

    /// <summary>Gets the full path of the hidden temporary file the content is written to.</summary>
    public string TempPath { get; }

    /// <summary>Gets the stream to write the content to.</summary>
    public Stream Stream => _stream;

    /// <summary>Creates the temporary file beside <paramref name="targetPath"/>, whose directory must exist.</summary>
    /// <param name="fileSystem">The file system.</param>
    /// <param name="targetPath">The file to write.</param>
    /// <param name="mode">The mode the file gets; <c>rw-r--r--</c> by default.</param>
    /// <returns>The open file; dispose it, after <see cref="Commit"/> or <see cref="CommitAsync"/> to keep the content.</returns>
    /// <exception cref="ArgumentException"><paramref name="targetPath"/> is empty or has no directory.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory of <paramref name="targetPath"/> does not exist.</exception>
    public static AtomicFile Create(IFileSystem fileSystem, string targetPath, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentException.ThrowIfNullOrEmpty(targetPath);
        var full = fileSystem.Path.GetFullPath(targetPath);
        var directory = fileSystem.Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{targetPath}' has no directory.", nameof(targetPath));
        if (!fileSystem.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The directory '{directory}' of '{full}' does not exist.");
        }

        // A dot-name in the same directory: same file system, so the rename is atomic, and hidden from globs like rootimg.*.
        var temp = fileSystem.Path.Combine(directory, $".{fileSystem.Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        FileSystemStream stream;
        try
        {
            stream = fileSystem.FileStream.New(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        }
        catch (UnauthorizedAccessException ex)
        {
            // The temp name is ours, not the caller's: the refusal names the file they asked for.
            throw new UnauthorizedAccessException($"Cannot create '{full}': writing in '{directory}' is not permitted.", ex);
        }
        catch (IOException ex)
        {
            throw new IOException($"Cannot create '{full}': {ex.Message.Replace(temp, full, StringComparison.Ordinal)}", ex);
        }

        return new AtomicFile(fileSystem, full, temp, stream, mode);
    }

    /// <summary>Flushes to disk, sets the mode and renames the temp file over the target.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        if (!OperatingSystem.IsWindows())
        {
            _fileSystem.File.SetUnixFileMode(TempPath, _mode);
        }

        _fileSystem.File.Move(TempPath, TargetPath, overwrite: true);
        _done = true;
    }

    /// <summary>Flushes asynchronously, then commits.</summary>
    /// <param name="cancellationToken">A token to cancel before the rename.</param>
    /// <returns>A task that completes when the target is in place.</returns>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        Commit();
    }

    /// <summary>Deletes the temporary file unless the content was committed; the target is then left as it was.</summary>
    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        _stream.Dispose();
        try
        {
            _fileSystem.File.Delete(TempPath);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Deletes the temporary file unless the content was committed, as <see cref="Dispose"/> does.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
