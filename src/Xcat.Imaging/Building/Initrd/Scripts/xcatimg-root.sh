#!/bin/sh
# xcatimg-root: fetches an xCAT diskless image (imgurl= on the kernel command line) over HTTP and unpacks it into a
# tmpfs on the new root. Shared by Xcat.Imaging's dracut module (98xcatimg) and its initramfs-tools boot method.
# Behaviour after xCAT's netboot/rh/dracut_033/xcatroot, but the archive is streamed into the unpacker (never held in
# RAM), zstd is known, and <imgurl>.sha256 is checked when the server publishes one.
#
#   xcatimg-root NEWROOT            unpack into NEWROOT; returns 0 only when the tree is in place
#   xcatimg-root deconfig|bound|renew|leasefail|nak    busybox udhcpc's event script (this same file)
#
# Environment: XCATIMG_BUSYBOX (busybox binary), XCATIMG_DHCP=1 (bring BOOTIF's interface up with udhcpc first).
# For tests on a host: XCATIMG_CMDLINE (a file read instead of /proc/cmdline), XCATIMG_CONSOLE (instead of
# /dev/console), XCATIMG_REFUSE=exit (exit 3 on a refusal instead of stopping for good),
# XCATIMG_TMP (instead of /tmp).

# initramfs-tools' hook keeps the image's real tar, cpio, zstd and xz here, apart from busybox's applets.
PATH="/usr/lib/xcatimg/bin:$PATH"
BB=${XCATIMG_BUSYBOX:-$(command -v busybox)}
XI_TMP=${XCATIMG_TMP:-/tmp}
export XCATIMG_BUSYBOX="$BB"

xi_say() {
    # The console is where an operator (or conserver's log) sees a node that does not boot.
    xi_console=${XCATIMG_CONSOLE:-/dev/console}
    if [ -w "$xi_console" ]; then echo "xcatimg: $*" > "$xi_console"; else echo "xcatimg: $*" >&2; fi
}

# udhcpc event handler: configure the interface from the lease.
case "$1" in
    deconfig)
        "$BB" ifconfig "$interface" 0.0.0.0 up
        exit 0 ;;
    bound|renew)
        "$BB" ifconfig "$interface" "$ip" ${subnet:+netmask "$subnet"} up
        for r in $router; do "$BB" route add default gw "$r" dev "$interface" 2>/dev/null; break; done
        if [ -n "$dns" ]; then for d in $dns; do echo "nameserver $d"; done > /etc/resolv.conf; fi
        exit 0 ;;
    leasefail|nak)
        exit 0 ;;
esac

xi_arg() {
    # The last NAME=value of the kernel command line wins, as in dracut's getarg.
    xi_v=""
    for xi_w in $(cat "${XCATIMG_CMDLINE:-/proc/cmdline}"); do
        case "$xi_w" in "$1="*) xi_v=${xi_w#"$1="} ;; esac
    done
    echo "$xi_v"
}

xi_interface() {
    # BOOTIF=01-52-54-00-12-34-56 (xNBA, pxelinux IPAPPEND 2) names the NIC by MAC; else the first non-loopback one.
    xi_mac=$(xi_arg BOOTIF)
    xi_mac=${xi_mac#01-}
    xi_mac=$(echo "$xi_mac" | "$BB" tr 'A-F-' 'a-f:')
    xi_n=0
    while [ "$xi_n" -lt 60 ]; do
        for xi_d in /sys/class/net/*; do
            xi_i=${xi_d##*/}
            [ "$xi_i" = lo ] && continue
            [ -e "$xi_d/address" ] || continue
            if [ -z "$xi_mac" ] || [ "$(cat "$xi_d/address")" = "$xi_mac" ]; then echo "$xi_i"; return 0; fi
        done
        xi_n=$((xi_n + 1))
        "$BB" sleep 1
    done
    return 1
}

xi_dhcp() {
    xi_if=$(xi_interface) || { xi_say "no network interface${xi_mac:+ with MAC $xi_mac} appeared"; return 1; }
    "$BB" ifconfig lo 127.0.0.1 up 2>/dev/null
    "$BB" ifconfig "$xi_if" up
    xi_delay=2
    until "$BB" udhcpc -i "$xi_if" -s "$XI_SELF" -f -q -n -t 5 -T 3 >/dev/null 2>&1; do
        xi_say "no DHCP answer on $xi_if; retrying in ${xi_delay}s"
        "$BB" sleep "$xi_delay"
        xi_delay=$((xi_delay * 2)); [ "$xi_delay" -gt 60 ] && xi_delay=60
    done
    xi_say "$xi_if is up ($("$BB" ifconfig "$xi_if" | "$BB" sed -n 's/.*inet addr:\([0-9.]*\).*/\1/p'))"
}

xi_is_gnu() { "$1" --version 2>/dev/null | "$BB" head -n 1 | "$BB" grep -q "GNU $2"; }

xi_choose_tools() {
    case "$XI_NAME" in
        *.gz)  XI_DECOMPRESS="$BB gzip -dc" ;;
        *.xz)  if command -v xz >/dev/null 2>&1; then XI_DECOMPRESS="xz -dc"; else XI_DECOMPRESS="$BB xz -dc"; fi ;;
        *.zst) if command -v zstd >/dev/null 2>&1; then XI_DECOMPRESS="zstd -dcq"; else
                   xi_say "$XI_NAME is zstd-compressed but this initrd has no zstd (install zstd in the image)"; return 1; fi ;;
        *)     xi_say "cannot unpack $XI_NAME: expected rootimg.{cpio,tar}.{gz,xz,zst}"; return 1 ;;
    esac
    case "$XI_NAME" in
        *.cpio.*)
            if xi_is_gnu cpio cpio; then XI_UNPACK="cpio -idum --quiet --no-absolute-filenames"
            else XI_UNPACK="$BB cpio -idum"; fi ;;
        *.tar.*)
            # busybox tar drops extended attributes (file capabilities, SELinux labels): GNU tar or bsdtar from the
            # image keep them, as xCAT's xcatroot does with tar --xattrs-include='*'.
            if xi_is_gnu tar tar; then XI_UNPACK="tar -x -p --numeric-owner --xattrs --xattrs-include=* -f -"
            elif command -v bsdtar >/dev/null 2>&1; then XI_UNPACK="bsdtar -x -p --numeric-owner --xattrs -f -"
            else XI_UNPACK="$BB tar -x -p -f -"; xi_say "no GNU tar or bsdtar in the initrd: extended attributes are not restored"; fi ;;
        *)  xi_say "cannot unpack $XI_NAME: expected rootimg.{cpio,tar}.{gz,xz,zst}"; return 1 ;;
    esac
}

xi_mount_root() {
    xi_opts="mode=755"
    [ -n "$XI_ROOTFLAGS" ] && xi_opts="$xi_opts,$XI_ROOTFLAGS"
    [ -n "$XI_ROOTLIMIT" ] && xi_opts="$xi_opts,size=$XI_ROOTLIMIT"
    "$BB" mkdir -p "$XI_ROOT"
    "$BB" mount -t tmpfs -o "$xi_opts" rootfs "$XI_ROOT"
}

xi_wipe_root() {
    "$BB" umount "$XI_ROOT" 2>/dev/null || "$BB" umount -l "$XI_ROOT" 2>/dev/null || "$BB" rm -rf "$XI_ROOT"/* 2>/dev/null
}

# One attempt: 0 done, 1 failed (retry), 2 checksum mismatch (refuse).
xi_attempt() {
    "$BB" rm -f "$XI_TMP"/xcatimg.*
    XI_WANT=""
    if "$BB" wget -q -O "$XI_TMP"/xcatimg.sha256 "$XI_URL.sha256" 2>/dev/null; then
        XI_WANT=$("$BB" head -n 1 "$XI_TMP"/xcatimg.sha256 | "$BB" cut -d ' ' -f 1 | "$BB" tr 'A-F' 'a-f')
    fi
    xi_mount_root || { xi_say "cannot mount a tmpfs on $XI_ROOT"; return 1; }
    if [ -n "$XI_WANT" ]; then
        xi_say "fetching $XI_URL (checking sha256 $XI_WANT)"
    else
        xi_say "fetching $XI_URL (the server publishes no $XI_NAME.sha256: not verified)"
    fi

    # One stream: wget -> tee (-> sha256sum through a fifo) -> decompressor -> unpacker. Each stage leaves its status.
    "$BB" mkfifo "$XI_TMP"/xcatimg.fifo
    "$BB" sha256sum < "$XI_TMP"/xcatimg.fifo > "$XI_TMP"/xcatimg.sum &
    xi_sum=$!
    { "$BB" wget -q -O - "$XI_URL"; echo $? > "$XI_TMP"/xcatimg.fetch; } \
        | "$BB" tee "$XI_TMP"/xcatimg.fifo \
        | { set -f; $XI_DECOMPRESS; echo $? > "$XI_TMP"/xcatimg.decompress; } \
        | { set -f; cd "$XI_ROOT" && $XI_UNPACK; echo $? > "$XI_TMP"/xcatimg.unpack; }
    wait "$xi_sum"
    xi_fetch=$(cat "$XI_TMP"/xcatimg.fetch 2>/dev/null); xi_dec=$(cat "$XI_TMP"/xcatimg.decompress 2>/dev/null)
    xi_unp=$(cat "$XI_TMP"/xcatimg.unpack 2>/dev/null); xi_got=$("$BB" cut -d ' ' -f 1 "$XI_TMP"/xcatimg.sum 2>/dev/null)

    if [ "$xi_fetch" != 0 ]; then
        xi_say "fetching $XI_URL failed (wget status ${xi_fetch:-?})"; xi_wipe_root; return 1
    fi
    if [ -n "$XI_WANT" ] && [ "$xi_got" != "$XI_WANT" ]; then
        xi_wipe_root
        xi_say "image checksum mismatch for $XI_URL: expected $XI_WANT, got ${xi_got:-nothing}; refusing to boot"
        return 2
    fi
    if [ "$xi_dec" != 0 ] || [ "$xi_unp" != 0 ]; then
        xi_say "unpacking $XI_NAME failed (decompressor status ${xi_dec:-?}, unpacker status ${xi_unp:-?})"; xi_wipe_root; return 1
    fi
    return 0
}

XI_SELF=$0
XI_ROOT=${1:?usage: xcatimg-root NEWROOT}
XI_URL=$(xi_arg imgurl)
[ -n "$XI_URL" ] || { xi_say "no imgurl= on the kernel command line"; exit 1; }
XI_NAME=${XI_URL##*/}
# A default baked into the initrd by genimage -l; rootlimit= on the command line wins.
[ -r /etc/xcatimg.conf ] && . /etc/xcatimg.conf
XI_ROOTLIMIT=$(xi_arg rootlimit); XI_ROOTLIMIT=${XI_ROOTLIMIT:-$XCATIMG_ROOTLIMIT}
XI_ROOTFLAGS=$(xi_arg rootflags)
case "$XI_URL" in
    http://*) ;;
    *) xi_say "imgurl=$XI_URL: only http:// is supported (busybox wget has no TLS)"; exit 1 ;;
esac
xi_stop() {
    # A node that cannot trust or read its image must not boot: stay here, the reason on the console.
    [ "$XCATIMG_REFUSE" = exit ] && exit 3
    while :; do "$BB" sleep 3600; done
}
xi_choose_tools || { xi_say "refusing to boot"; xi_stop; }
[ "$XCATIMG_DHCP" = 1 ] && xi_dhcp

xi_delay=5
while :; do
    xi_attempt
    case $? in
        0) break ;;
        2) xi_stop ;;
    esac
    xi_say "retrying in ${xi_delay}s"
    "$BB" sleep "$xi_delay"
    xi_delay=$((xi_delay * 2)); [ "$xi_delay" -gt 120 ] && xi_delay=120
done
"$BB" rm -f "$XI_TMP"/xcatimg.*
xi_say "unpacked $XI_NAME into $XI_ROOT"
: > "$XI_TMP"/xcatimg.done
exit 0
