# initramfs-tools boot method of Xcat.Imaging (sourced by /init when BOOT=xcatimg): DHCP on BOOTIF's interface,
# then fetch and unpack the image named by imgurl= into a tmpfs on ${rootmnt}.

mount_top() { :; }
mount_premount() { :; }
mount_bottom() { :; }

mountroot() {
    # configure_networking (scripts/functions) picks the device from BOOTIF= and runs klibc's ipconfig.
    configure_networking
    XCATIMG_BUSYBOX=/bin/busybox /bin/busybox sh /scripts/xcatimg-root "${rootmnt}" || panic "xcatimg: no root filesystem"
}
