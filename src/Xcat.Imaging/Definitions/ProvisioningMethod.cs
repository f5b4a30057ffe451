namespace Xcat.Imaging.Definitions;

/// <summary>The provisioning methods an xCAT osimage can use (<c>osimage.provmethod</c>, xCAT's Schema.pm).</summary>
public enum ProvisioningMethod
{
    /// <summary><c>install</c>: a diskful installation driven by a kickstart or autoyast template.</summary>
    Install,

    /// <summary><c>netboot</c>: a stateless (diskless) image loaded into RAM.</summary>
    Netboot,

    /// <summary><c>statelite</c>: a diskless image with selected files persistent or read-write.</summary>
    Statelite,

    /// <summary><c>boottarget</c>: boot a custom kernel and initrd.</summary>
    BootTarget,

    /// <summary><c>dualboot</c>: install beside an existing operating system.</summary>
    DualBoot,

    /// <summary><c>sysclone</c>: clone a golden client.</summary>
    SysClone,

    /// <summary><c>raw</c>: an s390x (z/VM) disk image kept as <c>*.img</c> files (xCAT's imgport.pm, get_files).</summary>
    Raw,
}
