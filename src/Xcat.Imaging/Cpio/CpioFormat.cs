namespace Xcat.Imaging.Cpio;

/// <summary>
/// The cpio header formats: the two the Linux kernel accepts as an initramfs (xCAT's packimage man page), which
/// <see cref="CpioWriter"/> writes, and the older portable ASCII format, which <see cref="CpioReader"/> also reads.
/// </summary>
public enum CpioFormat
{
    /// <summary>SVR4 "new ASCII" format, magic <c>070701</c> (<c>cpio -H newc</c>); <c>c_check</c> is 0.</summary>
    Newc,

    /// <summary>
    /// SVR4 "new ASCII" format with a checksum, magic <c>070702</c> (<c>cpio -H crc</c>); <c>c_check</c> of a regular
    /// file is the 32-bit wrap-around sum of its data bytes (xCAT's dracut module, xcatroot).
    /// </summary>
    Crc,

    /// <summary>
    /// POSIX.1 portable ASCII format, magic <c>070707</c> (<c>cpio -H odc</c>, <c>bsdtar --format odc</c>): a 76-byte
    /// header of octal fields, no padding, and the data on every member of a hard-link group. Read only: the kernel
    /// does not accept it, so <see cref="CpioWriter"/> does not write it.
    /// </summary>
    Odc,
}
