namespace Xcat.Imaging.Cpio;

/// <summary>Options for <see cref="CpioReader"/>.</summary>
public sealed class CpioReaderOptions
{
    /// <summary>
    /// Gets or sets whether the reader goes on after <c>TRAILER!!!</c> as the Linux kernel does (xCAT's packimage.pm, file list): it
    /// skips zero bytes and, when a newc or crc header follows at a 4-byte aligned offset (after an odc archive, at
    /// any offset, since odc is not aligned), or an odc header, returns that archive's entries too (see <see cref="CpioReader.ArchiveIndex"/>). When off, the reader stops right after the first
    /// trailer record and leaves everything after it, padding included, unread in the stream.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ReadConcatenatedArchives { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the data of regular files in crc (<c>070702</c>) archives is checked against
    /// <c>c_check</c>; a mismatch raises <see cref="InvalidDataException"/> once the data has been read or skipped.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool VerifyChecksums { get; set; } = true;

    /// <summary>
    /// Gets or sets the longest run of zero bytes skipped before an archive (the padding after a <c>TRAILER!!!</c>,
    /// or at the start of the stream). Padding is read in blocks, so a long run costs only the time to read it; a
    /// longer run raises <see cref="InvalidDataException"/>, so that an endless stream of zeros cannot keep the reader
    /// busy forever.
    /// </summary>
    /// <value>The default is 4 GiB, far above the few KiB of padding real archives carry.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long MaximumPaddingLength
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = 4L << 30;
}
