namespace Xcat.Imaging.Building;

/// <summary>The tool that makes an image's diskless initrd.</summary>
public enum InitrdTool
{
    /// <summary>dracut when the image has it (as xCAT chooses), else initramfs-tools.</summary>
    Automatic,

    /// <summary>dracut, with the library's dracut module.</summary>
    Dracut,

    /// <summary>initramfs-tools (mkinitramfs), with the library's boot script.</summary>
    InitramfsTools,
}
