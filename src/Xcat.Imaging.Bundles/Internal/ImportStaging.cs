using System.Globalization;
using System.IO.Abstractions;
using System.Text;
using Microsoft.Extensions.Logging;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>
/// An import's staging directory, <c>&lt;installdir&gt;/.xcatimg-import-&lt;guid&gt;</c>, and the lock that marks it
/// live: an exclusive <c>flock</c> on its <c>lock</c> file, held for the import's lifetime. A process that dies
/// releases it whatever host, container or PID namespace it ran in, so the cleaner removes exactly the staging whose
/// lock it can take, and never trusts <c>/proc</c>. The directory is made under another prefix and renamed once
/// locked, so a live staging directory is never seen without its lock.
/// </summary>
internal sealed class ImportStaging : IDisposable
{
    public const string Prefix = ".xcatimg-import-";
    private const string CreatingPrefix = ".xcatimg-new-";
    private const string LockFileName = "lock";
    private readonly IFileSystem _fileSystem;
    private readonly ILogger _logger;
    private readonly FileSystemStream _lock;

    private ImportStaging(IFileSystem fileSystem, ILogger logger, string path, FileSystemStream lockStream)
    {
        _fileSystem = fileSystem;
        _logger = logger;
        Path = path;
        _lock = lockStream;
    }

    public string Path { get; }

    public static ImportStaging Create(IFileSystem fileSystem, ILogger logger, string installDirectory)
    {
        var id = Guid.NewGuid().ToString("N");
        var creating = fileSystem.Path.Combine(installDirectory, CreatingPrefix + id);
        fileSystem.Directory.CreateDirectory(creating);
        FileSystemStream? lockStream = null;
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                fileSystem.File.SetUnixFileMode(creating, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            // .NET takes flock(LOCK_EX | LOCK_NB) for FileShare.None on Unix (as ImageLock relies on).
            lockStream = fileSystem.FileStream.New(fileSystem.Path.Combine(creating, LockFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            lockStream.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}@{Environment.MachineName}\n")));
            lockStream.Flush();
            var path = fileSystem.Path.Combine(installDirectory, Prefix + id);
            fileSystem.Directory.Move(creating, path);
            return new ImportStaging(fileSystem, logger, path, lockStream);
        }
        catch
        {
            lockStream?.Dispose();
            Delete(fileSystem, logger, creating);
            throw;
        }
    }

    /// <summary>Removes every staging directory under <paramref name="installDirectory"/> whose lock nobody holds.</summary>
    public static void RemoveAbandoned(IFileSystem fileSystem, IUnixMetadataProvider metadata, ILogger logger, string installDirectory)
    {
        foreach (var directory in fileSystem.Directory.EnumerateDirectories(installDirectory, ".xcatimg-*"))
        {
            var name = fileSystem.Path.GetFileName(directory);
            var creating = name.StartsWith(CreatingPrefix, StringComparison.Ordinal);
            if ((!creating && !name.StartsWith(Prefix, StringComparison.Ordinal))
                || !metadata.TryGetStatus(directory, out var status) || status.Type != UnixFileType.Directory)
            {
                continue;
            }

            var lockPath = fileSystem.Path.Combine(directory, LockFileName);
            if (!metadata.TryGetStatus(lockPath, out _))
            {
                // A live import renames its directory only once locked; one being made has no lock yet and is left.
                if (!creating)
                {
                    Log.StagingAbandoned(logger, directory);
                    Delete(fileSystem, logger, directory);
                }

                continue;
            }

            try
            {
                using var probe = fileSystem.FileStream.New(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                Log.StagingAbandoned(logger, directory);
                Delete(fileSystem, logger, directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Locked: a live import (here or on another host sharing the directory); or gone meanwhile.
            }
        }
    }

    public void Dispose()
    {
        // Deleted while still locked, so that no cleaner takes it for abandoned half-way.
        Delete(_fileSystem, _logger, Path);
        _lock.Dispose();
    }

    private static void Delete(IFileSystem fileSystem, ILogger logger, string directory)
    {
        try
        {
            // Not Directory.Delete: it cannot remove names that are not UTF-8, which an image may hold.
            UnixMetadataProvider.For(fileSystem).DeleteTree(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.StagingLeft(logger, directory, e.Message);
        }
    }
}
