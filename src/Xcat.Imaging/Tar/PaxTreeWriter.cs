using System.Buffers;
using Xcat.Imaging.Internal;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tar;

/// <summary>
/// Writes tree entries as a PAX tar stream the way xCAT's <c>tar --xattrs --xattrs-include='*' -T list</c> does:
/// <c>./</c>-prefixed names, directories with a trailing slash, hard links as type 1 to the first member, every xattr as
/// a raw <c>SCHILY.xattr.*</c> record, two zero blocks and padding to a 10 KiB record at the end.
/// </summary>
/// <remarks>
/// Entries are written as given: parents before children, hard links after their first member (as
/// <see cref="TreeWalker"/> yields them). Every <c>Async</c> method has a synchronous twin, as in System.Formats.Tar.
/// </remarks>
public sealed class PaxTreeWriter : IDisposable, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly StreamOwnership _ownership;
    private bool _finished;

    /// <summary>Initializes a writer that writes to <paramref name="stream"/>, which need not be seekable.</summary>
    /// <param name="stream">The destination of the tar stream.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="stream"/> open when the writer is disposed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    public PaxTreeWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        _stream = stream;
        _ownership = new StreamOwnership(stream, leaveOpen);
    }

    /// <summary>Gets the number of sockets skipped: tar cannot store them (GNU tar skips them too).</summary>
    public long SkippedSockets { get; private set; }

    /// <summary>Gets the number of bytes written so far, headers and padding included.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Returns the member name <paramref name="entry"/> is written under: <c>./</c>-prefixed, directories ending in <c>/</c>.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The member name.</returns>
    public static string ArchiveName(TreeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var name = entry.Name == "." ? "./" : "./" + entry.Name;
        return entry.Type == UnixFileType.Directory && !name.EndsWith('/') ? name + "/" : name;
    }

    /// <summary>Writes one entry and, for a regular file that is not a hard link, its <see cref="TreeEntry.Length"/> bytes of data.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="data">The file's data; may be <see langword="null"/> for every entry without data.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>, or <paramref name="data"/> is but the entry has data.</exception>
    /// <exception cref="IOException">The data stream ends before, or runs on after, <see cref="TreeEntry.Length"/> bytes.</exception>
    /// <exception cref="ObjectDisposedException">The archive was finished or the writer disposed.</exception>
    public void Write(TreeEntry entry, Stream? data) => SyncOverAsync.Wait(WriteCoreAsync(useAsync: false, entry, data, CancellationToken.None));

    /// <summary>Writes one entry and, for a regular file that is not a hard link, its <see cref="TreeEntry.Length"/> bytes of data.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="data">The file's data; may be <see langword="null"/> for every entry without data.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the entry is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>, or <paramref name="data"/> is but the entry has data.</exception>
    /// <exception cref="IOException">The data stream ends before, or runs on after, <see cref="TreeEntry.Length"/> bytes.</exception>
    /// <exception cref="ObjectDisposedException">The archive was finished or the writer disposed.</exception>
    public Task WriteAsync(TreeEntry entry, Stream? data, CancellationToken cancellationToken = default)
        => WriteCoreAsync(useAsync: true, entry, data, cancellationToken).AsTask();

    private async ValueTask WriteCoreAsync(bool useAsync, TreeEntry entry, Stream? data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ObjectDisposedException.ThrowIf(_finished || _ownership.IsDisposed, this);
        if (entry.Type == UnixFileType.Socket)
        {
            SkippedSockets++;
            return;
        }

        var isHardLink = entry.HardLinkTarget is not null;
        var typeFlag = isHardLink ? (byte)'1' : entry.Type switch
        {
            UnixFileType.RegularFile => (byte)'0',
            UnixFileType.SymbolicLink => (byte)'2',
            UnixFileType.CharacterDevice => (byte)'3',
            UnixFileType.BlockDevice => (byte)'4',
            UnixFileType.Directory => (byte)'5',
            UnixFileType.Fifo => (byte)'6',
            _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Type, "Unknown file type."),
        };
        var size = typeFlag == (byte)'0' ? entry.Length : 0;
        var header = PaxHeaderWriter.Build(new TarHeaderFields(ArchiveName(entry), typeFlag)
        {
            LinkName = isHardLink ? "./" + entry.HardLinkTarget : entry.Type == UnixFileType.SymbolicLink ? entry.LinkTarget : null,
            Size = size,
            Mode = entry.Mode,
            Uid = entry.Uid,
            Gid = entry.Gid,
            ModificationTime = entry.ModificationTime,
            DeviceMajor = entry.DeviceMajor,
            DeviceMinor = entry.DeviceMinor,
            ExtendedAttributes = entry.ExtendedAttributes,
        });
        await SyncOverAsync.WriteAsync(_stream, useAsync, header, cancellationToken).ConfigureAwait(false);
        BytesWritten += header.Length;
        if (size == 0)
        {
            return;
        }

        if (data is null)
        {
            throw new ArgumentNullException(nameof(data), $"The entry '{DisplayText.Escape(entry.Name)}' has {size} bytes of data but no data stream.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var remaining = size;
            while (remaining > 0)
            {
                var chunk = buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining));
                var read = useAsync ? await data.ReadAsync(chunk, cancellationToken).ConfigureAwait(false) : data.Read(chunk.Span);
                if (read == 0)
                {
                    throw new IOException($"The file '{DisplayText.Escape(entry.Name)}' shrank while it was archived: {remaining} of {size} bytes are missing.");
                }

                await SyncOverAsync.WriteAsync(_stream, useAsync, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }

            var more = useAsync ? await data.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) : data.Read(buffer, 0, 1);
            if (more != 0)
            {
                throw new IOException($"The file '{DisplayText.Escape(entry.Name)}' grew while it was archived beyond its {size} bytes.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var padding = PaxHeaderWriter.Padding(size);
        await SyncOverAsync.WriteAsync(_stream, useAsync, new byte[padding], cancellationToken).ConfigureAwait(false);
        BytesWritten += size + padding;
    }

    /// <summary>Writes the end-of-archive blocks and pads to a whole 10 KiB record; later calls do nothing.</summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed before the archive was finished.</exception>
    public void Finish() => SyncOverAsync.Wait(FinishCoreAsync(useAsync: false, CancellationToken.None));

    /// <summary>Writes the end-of-archive blocks and pads to a whole 10 KiB record; later calls do nothing.</summary>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the end of the archive is written.</returns>
    /// <exception cref="ObjectDisposedException">The writer was disposed before the archive was finished.</exception>
    public Task FinishAsync(CancellationToken cancellationToken = default) => FinishCoreAsync(useAsync: true, cancellationToken).AsTask();

    private async ValueTask FinishCoreAsync(bool useAsync, CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_ownership.IsDisposed, this);
        _finished = true;
        var end = 2 * PaxHeaderWriter.BlockSize;
        var total = BytesWritten + end;
        end += (int)((PaxHeaderWriter.RecordSize - (total % PaxHeaderWriter.RecordSize)) % PaxHeaderWriter.RecordSize);
        await SyncOverAsync.WriteAsync(_stream, useAsync, new byte[end], cancellationToken).ConfigureAwait(false);
        BytesWritten += end;
    }

    /// <summary>Disposes the stream unless the writer was created with <c>leaveOpen</c>. It does not finish the archive.</summary>
    public void Dispose() => _ownership.Dispose();

    /// <summary>Disposes the stream asynchronously unless the writer was created with <c>leaveOpen</c>. It does not finish the archive.</summary>
    /// <returns>A task that completes when the stream is disposed.</returns>
    public ValueTask DisposeAsync() => _ownership.DisposeAsync();
}
