#!/bin/sh
# initramfs-tools hook of Xcat.Imaging's xcatimg boot method: the tools xcatimg-root streams the image through.
PREREQ=""
prereqs() { echo "$PREREQ"; }
case "$1" in prereqs) prereqs; exit 0 ;; esac

. /usr/share/initramfs-tools/hook-functions

copy_exec "$(command -v busybox)" /bin/busybox
# Preferred over busybox's applets when the image has them: GNU tar and bsdtar keep extended attributes,
# zstd is not a busybox applet at all. busybox's own hook (zz-busybox, run before the hooks in /etc) has already
# linked its applets at /usr/bin/tar and friends, and copy_exec never replaces a file: the real tools go apart,
# where xcatimg-root looks first.
for tool in cpio tar bsdtar zstd xz; do
    path=$(command -v "$tool") && copy_exec "$path" "/usr/lib/xcatimg/bin/$tool"
done
[ -r /etc/initramfs-tools/xcatimg.conf ] && copy_file config /etc/initramfs-tools/xcatimg.conf /etc/xcatimg.conf
exit 0
