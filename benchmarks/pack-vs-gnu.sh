#!/usr/bin/env bash
# Whole-process comparison of xcatimg pack/unpack with xCAT's own pipelines, on the same cores, one after another.
# Usage: benchmarks/pack-vs-gnu.sh [ROOTFS]
#   ROOTFS defaults to a debootstrap of Debian bookworm made once in /var/cache/xcat-imaging (root needed to create it).
#   The issue's reference tree is ~1.2 GB: debootstrap --variant=minbase --include=linux-image-amd64,systemd-sysv,
#   openssh-server,python3,gcc,perl bookworm DIR; pass it as ROOTFS.
# Prints one row per command: wall seconds, peak RSS (MB), output bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-/var/cache/xcat-imaging/bookworm-minbase}
if [ ! -d "$root" ]; then
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
fi
command -v pigz >/dev/null || apt-get install -y -qq pigz >/dev/null
command -v zstd >/dev/null || apt-get install -y -qq zstd >/dev/null
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null

dotnet build -c Release samples/Xcat.Imaging.Cli >/dev/null
xcatimg=(dotnet samples/Xcat.Imaging.Cli/bin/Release/net10.0/xcatimg.dll)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
size=$(du -sb "$root" | cut -f1)
echo "tree: $root, $(numfmt --to=iec "$size"), $(find "$root" -xdev | wc -l) entries, $(nproc) cores"
sync; cat "$root"/usr/bin/* >/dev/null 2>&1 || true   # warm the page cache for every contender alike

run() { # name, output file, command...
  local name=$1 out=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$work/t" bash -c "$*" 2>/dev/null
  read -r secs rss < "$work/t"
  printf '%-34s %8.2f s %8.0f MB %14s bytes\n' "$name" "$secs" "$((rss / 1024))" "$( [ -f "$out" ] && stat -c %s "$out" || echo -)"
}

run "xCAT: find|cpio|gzip -6"   "$work/a.cpio.gz" "cd '$root' && find . -xdev | cpio -H newc -o --quiet | gzip -6 -c > '$work/a.cpio.gz'"
run "xCAT: find|cpio|pigz -6"   "$work/b.cpio.gz" "cd '$root' && find . -xdev | cpio -H newc -o --quiet | pigz -6 -c > '$work/b.cpio.gz'"
run "xcatimg pack (gzip 6)"     "$work/c.cpio.gz" "${xcatimg[*]} pack '$root' -o '$work/c.cpio.gz' -c gzip --level 6 > /dev/null"
run "find|cpio|zstd -3 -T2"     "$work/d.cpio.zst" "cd '$root' && find . -xdev | cpio -H newc -o --quiet | zstd -3 -T2 -q -c > '$work/d.cpio.zst'"
run "xcatimg pack (zstd 3)"     "$work/e.cpio.zst" "${xcatimg[*]} pack '$root' -o '$work/e.cpio.zst' -c zstd --level 3 > /dev/null"
mkdir -p "$work/u1" "$work/u2"
run "gzip -dc|cpio -idm"        "-" "cd '$work/u1' && gzip -dc '$work/a.cpio.gz' | cpio -idm --quiet"
run "xcatimg unpack"            "-" "${xcatimg[*]} unpack '$work/c.cpio.gz' -C '$work/u2' > /dev/null"
