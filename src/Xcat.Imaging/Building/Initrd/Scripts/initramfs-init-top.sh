#!/bin/sh
# initramfs-tools init-top script of Xcat.Imaging: imgurl= alone selects the xcatimg boot method (/scripts/xcatimg).
PREREQ=""
prereqs() { echo "$PREREQ"; }
case "$1" in prereqs) prereqs; exit 0 ;; esac

for word in $(cat /proc/cmdline); do
    case "$word" in imgurl=*) echo "BOOT=xcatimg" >> /conf/param.conf ;; esac
done
exit 0
