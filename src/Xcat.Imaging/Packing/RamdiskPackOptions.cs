using Xcat.Imaging.Compression;
using Xcat.Imaging.Exclusion;

namespace Xcat.Imaging.Packing;

/// <summary>Options for <see cref="RamdiskPacker"/>: <c>packimage -m</c>, <c>-c</c> and the exclusion lists.</summary>
public sealed class RamdiskPackOptions
{
    private CompressionOptions _compression = new();
    private string _lockDirectory = Internal.ImageLock.DefaultDirectory;

    /// <summary>Gets or sets the archive format (<c>-m cpio|tar</c>).</summary>
    /// <value>The default is <see cref="ArchiveFormat.Cpio"/>.</value>
    public ArchiveFormat Format { get; set; } = ArchiveFormat.Cpio;

    /// <summary>Gets or sets the compression (<c>-c gzip|pigz|xz|zstd</c>, level and threads).</summary>
    /// <value>Parallel gzip at level 6 on every core by default.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public CompressionOptions Compression
    {
        get => _compression;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _compression = value;
        }
    }

    /// <summary>
    /// Gets or sets the exclusion list (exlist). When packing an image definition and this is <see langword="null"/>,
    /// the image's <c>exlist</c> files are loaded; the always-excluded statelite paths apply in every case.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public ExcludeList? ExcludeList { get; set; }

    /// <summary>Gets or sets whether the walk stays on the root's file system (<c>find -xdev</c>).</summary>
    /// <value>The default is <see langword="true"/>, as packimage does.</value>
    public bool StayOnFileSystem { get; set; } = true;

    /// <summary>
    /// Gets or sets a latest modification time: later (or 32-bit-overflowing) mtimes are written as this one, for
    /// reproducible archives.
    /// </summary>
    /// <value>The default is <see langword="null"/>: mtimes are written as they are.</value>
    public DateTimeOffset? ClampModificationTime { get; set; }

    /// <summary>Gets or sets whether a <c>sha256sum</c>-format checksum file is written beside a packed file.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool WriteChecksumFile { get; set; } = true;

    /// <summary>
    /// Gets or sets the directory of the per-image locks shared with genimage; <c>/var/lock/xcat</c>, xCAT's own, by
    /// default so that xCAT's packimage and ours exclude each other.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty.</exception>
    public string LockDirectory
    {
        get => _lockDirectory;
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _lockDirectory = value;
        }
    }
}
