namespace Xcat.Imaging.Cpio;

/// <summary>Options for <see cref="CpioWriter"/>.</summary>
public sealed class CpioWriterOptions
{
    /// <summary>Gets or sets the header format.</summary>
    /// <value>The default is <see cref="CpioFormat.Newc"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not <see cref="CpioFormat.Newc"/> or <see cref="CpioFormat.Crc"/>.</exception>
    public CpioFormat Format
    {
        get;
        set
        {
            if (value is not (CpioFormat.Newc or CpioFormat.Crc))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The cpio writer writes the newc and crc formats only.");
            }

            field = value;
        }
    } = CpioFormat.Newc;

    /// <summary>
    /// Gets or sets whether modification times the 32-bit <c>c_mtime</c> field cannot hold (before 1970 or after
    /// 2106-02-07T06:28:15Z) are clamped to the nearest end, with a logged warning, as gen_init_cpio does (xCAT's packimage.pm).
    /// When off, such an entry is refused with <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ClampModificationTime { get; set; }

    /// <summary>
    /// Gets or sets whether disposing the writer pads the archive after <c>TRAILER!!!</c> with zero bytes to a
    /// multiple of 512 bytes, as GNU cpio and gen_init_cpio do. When off, the archive ends 4-byte aligned.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool TrailerPadding { get; set; } = true;
}
