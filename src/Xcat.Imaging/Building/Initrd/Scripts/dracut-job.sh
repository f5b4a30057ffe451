#!/bin/sh
# dracut initqueue job of 98xcatimg: DHCP on BOOTIF's interface, then fetch and unpack into $NEWROOT.
XCATIMG_DHCP=1 XCATIMG_BUSYBOX=$(command -v busybox) exec "$(command -v busybox)" sh /sbin/xcatimg-root "${NEWROOT:-/sysroot}"
