using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Cpio;

/// <summary>
/// One record of a cpio archive (newc, crc, or odc as read): a file, directory, symbolic link, device node, FIFO or socket with its Unix
/// metadata. Build entries to give to <see cref="CpioWriter"/>; <see cref="CpioReader"/> returns them.
/// </summary>
/// <remarks>
/// Hard links are not a separate type: regular files (or device nodes) that share <see cref="Inode"/>,
/// <see cref="FileSystemMajor"/> and <see cref="FileSystemMinor"/> and have a <see cref="LinkCount"/> of 2 or more
/// form a group, and the data may sit on any member (GNU cpio puts it on the last one in stream order and writes the
/// others with no data; the kernel accepts any member, xCAT's packimage.pm, exlist). The writer writes each entry as given.
/// </remarks>
public sealed class CpioEntry
{
    private const UnixFileMode PermissionMask = (UnixFileMode)0xFFF;

    private string _name;
    private UnixFileMode _mode;
    private uint _deviceMajor;
    private uint _deviceMinor;
    private string? _linkTarget;
    private Stream? _dataStream;
    private long _length;

    /// <summary>
    /// Initializes a new entry with mode 0644 (0755 for directories, 0777 for symbolic links), owner 0:0, a link
    /// count of 1 (2 for directories) and the current time, truncated to seconds, as modification time.
    /// </summary>
    /// <param name="entryType">The file type.</param>
    /// <param name="name">The name inside the archive: a POSIX path such as <c>usr/bin/x</c>, <c>./usr/bin/x</c> or <c>.</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="entryType"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains a NUL character.</exception>
    public CpioEntry(CpioEntryType entryType, string name)
    {
        if (!Enum.IsDefined(entryType))
        {
            throw new ArgumentOutOfRangeException(nameof(entryType), entryType, "Unknown cpio entry type.");
        }

        EntryType = entryType;
        _name = ValidateName(name, nameof(name));
        _mode = entryType switch
        {
            CpioEntryType.Directory => (UnixFileMode)0b111_101_101,
            CpioEntryType.SymbolicLink => (UnixFileMode)0b111_111_111,
            _ => (UnixFileMode)0b110_100_100,
        };
        LinkCount = entryType == CpioEntryType.Directory ? 2u : 1u;
        ModificationTime = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    /// <summary>An entry as read from an archive: no validation, the reader has checked the header.</summary>
    internal CpioEntry(CpioEntryType entryType, string name, UnixFileMode mode)
    {
        EntryType = entryType;
        _name = name;
        _mode = mode;
    }

    /// <summary>Gets the file type, which the writer stores as the type bits of <c>c_mode</c>.</summary>
    public CpioEntryType EntryType { get; }

    /// <summary>
    /// Gets or sets the name inside the archive: a relative POSIX path (<c>x</c>, <c>./x</c> and <c>.</c> are all
    /// fine), written exactly as given. <see cref="CpioWriter"/> refuses names over 4095 UTF-8 bytes and the name
    /// <c>TRAILER!!!</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty or contains a NUL character.</exception>
    public string Name
    {
        get => _name;
        set => _name = ValidateName(value, nameof(value));
    }

    /// <summary>
    /// Gets or sets the permission bits, including set-user-ID, set-group-ID and sticky; the type bits of
    /// <c>c_mode</c> come from <see cref="EntryType"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value has bits outside the 12 permission bits (07777).</exception>
    public UnixFileMode Mode
    {
        get => _mode;
        set
        {
            if ((value & ~PermissionMask) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Only the 12 permission bits (07777) may be set; the file type comes from EntryType.");
            }

            _mode = value;
        }
    }

    /// <summary>Gets the full <c>c_mode</c> value the kernel reads: the type bits of <see cref="EntryType"/> and <see cref="Mode"/>.</summary>
    public uint RawMode => CpioHeader.TypeBits(EntryType) | (uint)_mode;

    /// <summary>Gets or sets the numeric owner (<c>c_uid</c>).</summary>
    public uint Uid { get; set; }

    /// <summary>Gets or sets the numeric group (<c>c_gid</c>).</summary>
    public uint Gid { get; set; }

    /// <summary>
    /// Gets or sets the modification time (<c>c_mtime</c>, whole seconds since the Unix epoch; fractions are dropped
    /// when written). The format holds 1970-01-01 to 2106-02-07: see <see cref="CpioWriterOptions.ClampModificationTime"/>.
    /// </summary>
    public DateTimeOffset ModificationTime { get; set; }

    /// <summary>Gets or sets the inode number (<c>c_ino</c>), the hard-link key together with the file-system numbers.</summary>
    public uint Inode { get; set; }

    /// <summary>Gets or sets the link count (<c>c_nlink</c>); 2 or more on a non-directory makes it a hard-link member.</summary>
    public uint LinkCount { get; set; }

    /// <summary>Gets or sets the major number of the file system the entry came from (<c>c_maj</c>, part of the hard-link key).</summary>
    public uint FileSystemMajor { get; set; }

    /// <summary>Gets or sets the minor number of the file system the entry came from (<c>c_min</c>, part of the hard-link key).</summary>
    public uint FileSystemMinor { get; set; }

    /// <summary>Gets or sets the major number of a device node (<c>c_rmaj</c>).</summary>
    /// <exception cref="InvalidOperationException">A value is set on an entry that is not a character or block device.</exception>
    public uint DeviceMajor
    {
        get => _deviceMajor;
        set
        {
            ThrowUnlessDevice();
            _deviceMajor = value;
        }
    }

    /// <summary>Gets or sets the minor number of a device node (<c>c_rmin</c>).</summary>
    /// <exception cref="InvalidOperationException">A value is set on an entry that is not a character or block device.</exception>
    public uint DeviceMinor
    {
        get => _deviceMinor;
        set
        {
            ThrowUnlessDevice();
            _deviceMinor = value;
        }
    }

    /// <summary>Gets or sets the target of a symbolic link, which the archive stores as the entry's data.</summary>
    /// <exception cref="InvalidOperationException">A value is set on an entry that is not a symbolic link.</exception>
    /// <exception cref="ArgumentException">The value is empty or contains a NUL character.</exception>
    public string? LinkTarget
    {
        get => _linkTarget;
        set
        {
            if (EntryType != CpioEntryType.SymbolicLink)
            {
                throw new InvalidOperationException($"Only a symbolic link has a link target; '{_name}' is a {EntryType}.");
            }

            if (value is not null)
            {
                if (value.Length == 0 || value.Contains('\0', StringComparison.Ordinal))
                {
                    throw new ArgumentException("A link target must be non-empty and free of NUL characters.", nameof(value));
                }
            }

            _linkTarget = value;
        }
    }

    /// <summary>
    /// Gets or sets the data of a regular file. Setting a seekable stream also sets <see cref="Length"/> to the bytes
    /// from its current position to its end; the writer reads from the position the stream has when the entry is
    /// written. An unseekable stream needs its length given through <see cref="SetDataStream"/>. The entry never
    /// disposes a stream given to it. On an entry read with <c>copyData: false</c> this is a window onto the archive,
    /// valid until the reader moves to the next entry.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value is set on an entry that is not a regular file.</exception>
    /// <exception cref="ArgumentException">The value is not readable or not seekable.</exception>
    public Stream? DataStream
    {
        get => _dataStream;
        set
        {
            ThrowUnlessRegularFile();
            if (value is null)
            {
                SetData(null, 0);
                return;
            }

            if (!value.CanRead)
            {
                throw new ArgumentException("The data stream is not readable.", nameof(value));
            }

            if (!value.CanSeek)
            {
                throw new ArgumentException("The length of an unseekable data stream is unknown; use SetDataStream(stream, length).", nameof(value));
            }

            SetData(value, value.Length - value.Position);
        }
    }

    /// <summary>
    /// Gets the size of the data section (<c>c_filesize</c>): the data length of a regular file, the UTF-8 length of a
    /// symbolic link's target, otherwise 0. A hard-link member that does not carry the group's data has length 0.
    /// </summary>
    public long Length => EntryType switch
    {
        CpioEntryType.RegularFile => _length,
        CpioEntryType.SymbolicLink => _linkTarget is null ? 0 : UnixNameEncoding.GetByteCount(_linkTarget),
        _ => 0,
    };

    /// <summary>
    /// Gets the <c>c_check</c> field as read: in <see cref="CpioFormat.Crc"/> archives the sum of a regular file's data
    /// bytes, which the reader verifies; 0 in <see cref="CpioFormat.Newc"/> archives and on entries built in code
    /// (the writer computes its own).
    /// </summary>
    public uint Checksum { get; internal set; }

    /// <summary>
    /// Gets whether the kernel treats the entry as a hard-link member: a non-directory with <see cref="LinkCount"/> of
    /// 2 or more, matched with the others of its group on (<see cref="FileSystemMajor"/>,
    /// <see cref="FileSystemMinor"/>, <see cref="Inode"/>) within one archive (xCAT's packimage.pm, exlist).
    /// </summary>
    public bool IsHardLinked => EntryType != CpioEntryType.Directory && LinkCount >= 2;

    /// <summary>Whether <see cref="Checksum"/> is a crc sum from a crc archive that the writer may reuse for an unseekable stream.</summary>
    internal bool HasKnownChecksum { get; set; }

    /// <summary>
    /// Sets the data of a regular file from a stream that need not be seekable, with its length given up front:
    /// the newc header holds <c>c_filesize</c> before the data, and the writer fails if the stream ends early or
    /// holds more.
    /// </summary>
    /// <param name="stream">The data, read from its current position; <see langword="null"/> for no data.</param>
    /// <param name="length">The number of bytes the writer copies from <paramref name="stream"/>.</param>
    /// <exception cref="InvalidOperationException">The entry is not a regular file.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative, or not 0 with no stream.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    public void SetDataStream(Stream? stream, long length)
    {
        ThrowUnlessRegularFile();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (stream is null)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(length, 0);
        }
        else if (!stream.CanRead)
        {
            throw new ArgumentException("The data stream is not readable.", nameof(stream));
        }

        SetData(stream, length);
    }

    /// <inheritdoc />
    public override string ToString() => $"{EntryType} {_name}";

    /// <summary>Sets data as read from an archive.</summary>
    internal void SetReadData(Stream? stream, long length, uint checksum, bool checksumKnown)
    {
        _dataStream = stream;
        _length = length;
        Checksum = checksum;
        HasKnownChecksum = checksumKnown;
    }

    internal void SetReadDevice(uint major, uint minor)
    {
        _deviceMajor = major;
        _deviceMinor = minor;
    }

    internal void SetReadLinkTarget(string target) => _linkTarget = target;

    private static string ValidateName(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameterName);
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A cpio entry name cannot contain a NUL character.", parameterName);
        }

        return name;
    }

    private void SetData(Stream? stream, long length)
    {
        _dataStream = stream;
        _length = length;
        Checksum = 0;
        HasKnownChecksum = false;
    }

    private void ThrowUnlessDevice()
    {
        if (EntryType is not (CpioEntryType.CharacterDevice or CpioEntryType.BlockDevice))
        {
            throw new InvalidOperationException($"Only a character or block device has device numbers; '{_name}' is a {EntryType}.");
        }
    }

    private void ThrowUnlessRegularFile()
    {
        if (EntryType != CpioEntryType.RegularFile)
        {
            throw new InvalidOperationException($"Only a regular file has a data stream; '{_name}' is a {EntryType}.");
        }
    }
}
