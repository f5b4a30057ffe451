using System.IO.Abstractions;

namespace Xcat.Imaging.Internal;

/// <summary>
/// An output file that appears whole or not at all: written to a temp file beside the target, flushed to disk, given
/// its mode, then renamed over the target. Disposing without <see cref="Commit"/> deletes the temp file, so a failure
/// or cancellation leaves the previous target untouched and nothing behind (xCAT issue #1940).
/// </summary>
internal sealed class AtomicFile : IDisposable, IAsyncDisposable
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

    public string TargetPath { get; }

    public string TempPath { get; }

    /// <summary>The stream to write the content to.</summary>
    public Stream Stream => _stream;

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
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        Commit();
    }

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

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
