using System.Globalization;
using System.IO.Abstractions;
using System.Security.Cryptography;
using System.Text;

namespace Xcat.Imaging.Internal;

/// <summary>
/// The per-image lock that packimage, genimage and rmimage share (xCAT's Table.pm, <c>Utils.pm::acquire_lock_imageop</c>):
/// file <c>&lt;lockdir&gt;/&lt;realpath with / as .&gt;.&lt;md5&gt;</c>, an exclusive non-blocking flock holding the
/// holder's PID. With the lock directory <c>/var/lock/xcat</c> it excludes xCAT's own commands too.
/// </summary>
internal sealed partial class ImageLock : IDisposable
{
    public const string DefaultDirectory = "/var/lock/xcat";

    private readonly FileSystemStream _stream;

    private ImageLock(FileSystemStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    public string Path { get; }

    public static string LockFileName(string rootImageDirectory)
    {
        // MD5 only names the file, as xCAT names it; it protects nothing.
#pragma warning disable CA5351
        var hash = Convert.ToHexStringLower(MD5.HashData(Unix.UnixNameEncoding.GetBytes(rootImageDirectory)));
#pragma warning restore CA5351
        return rootImageDirectory.Replace('/', '.') + "." + hash;
    }

    /// <summary>Takes the lock for <paramref name="rootImageDirectory"/> (the image's <c>rootimg</c> path).</summary>
    /// <exception cref="IOException">Another process holds it; the message names its PID and the directory.</exception>
    public static ImageLock Acquire(IFileSystem fileSystem, string lockDirectory, string rootImageDirectory)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        fileSystem.Directory.CreateDirectory(lockDirectory);
        var path = fileSystem.Path.Combine(lockDirectory, LockFileName(rootImageDirectory));
        FileSystemStream stream;
        try
        {
            // .NET takes flock(LOCK_EX | LOCK_NB) for FileShare.None on Unix, the same lock xCAT takes.
            stream = fileSystem.FileStream.New(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            var holder = ReadHolder(fileSystem, path);
            throw new IOException(
                $"failed to acquire lock, seems there is another genimage/packimage/rmimage process {holder} running on root image dir \"{rootImageDirectory}\"", ex);
        }

        stream.SetLength(0);
        var pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        stream.Write(pid);
        stream.Flush();
        return new ImageLock(stream, path);
    }

    public void Dispose() => _stream.Dispose();

    // Read with plain open/read: .NET would take flock(LOCK_SH) for any read open, which the holder's LOCK_EX refuses.
    private static string ReadHolder(IFileSystem fileSystem, string path)
    {
        if (fileSystem is not FileSystem || OperatingSystem.IsWindows())
        {
            return "(unknown)";
        }

        var fd = Open(path, 0);
        if (fd < 0)
        {
            return "(unknown)";
        }

        try
        {
            Span<byte> buffer = stackalloc byte[32];
            var read = (int)Read(fd, buffer, buffer.Length);
            var text = read > 0 ? Encoding.ASCII.GetString(buffer[..read]).Trim() : string.Empty;
            return text.Length > 0 ? text : "(unknown)";
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "open", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "read")]
    private static partial nint Read(int fd, Span<byte> buffer, nint count);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
