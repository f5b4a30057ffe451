#!/bin/bash
# dracut module 98xcatimg (Xcat.Imaging genimage): boots an xCAT diskless image named by imgurl=.
# Like xCAT's netboot/rh/dracut_033 module, but it brings the network up itself (busybox udhcpc), so it needs
# neither dracut's network module nor NetworkManager in the image.

check() {
    require_binaries busybox || return 1
    # Only when asked for (add_dracutmodules in dracut.conf.d/98xcatimg.conf).
    return 255
}

depends() {
    return 0
}

install() {
    inst_multiple busybox
    # Preferred over busybox's applets when the image has them: GNU tar and bsdtar keep extended attributes,
    # zstd is not a busybox applet at all.
    inst_multiple -o cpio tar bsdtar zstd xz gzip
    inst_simple "$moddir/xcatimg-root.sh" /sbin/xcatimg-root
    inst_simple "$moddir/xcatimg-dracut.sh" /sbin/xcatimg-dracut
    [ -r "$moddir/xcatimg.conf" ] && inst_simple "$moddir/xcatimg.conf" /etc/xcatimg.conf
    inst_hook cmdline 90 "$moddir/xcatimg-cmdline.sh"
}
