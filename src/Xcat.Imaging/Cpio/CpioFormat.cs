namespace Xcat.Imaging.Cpio;

/// <summary>The two cpio header formats the Linux kernel accepts as an initramfs (spec §3.1).</summary>
public enum CpioFormat
{
    /// <summary>SVR4 "new ASCII" format, magic <c>070701</c> (<c>cpio -H newc</c>); <c>c_check</c> is 0.</summary>
    Newc,

    /// <summary>
    /// SVR4 "new ASCII" format with a checksum, magic <c>070702</c> (<c>cpio -H crc</c>); <c>c_check</c> of a regular
    /// file is the 32-bit wrap-around sum of its data bytes (spec §3.8).
    /// </summary>
    Crc,
}
