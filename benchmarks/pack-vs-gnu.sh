#!/usr/bin/env bash
# Whole-process comparison of xcatimg pack/unpack with xCAT's own pipelines, on the same cores, interleaved: every
# round runs each contender once in turn (ours, xCAT's gzip, pigz, ...), so load from other jobs falls on all alike.
# Usage: benchmarks/pack-vs-gnu.sh [ROOTFS [ROUNDS]]
#   ROOTFS defaults to a debootstrap of Debian bookworm made once in /var/cache/xcat-imaging (root needed to create it).
#   The issue's reference tree is ~1.2 GB: debootstrap --variant=minbase --include=linux-image-amd64,systemd-sysv,
#   openssh-server,python3,gcc,perl bookworm DIR; pass it as ROOTFS. ROUNDS defaults to 2.
# Prints one row per run (wall seconds, peak RSS, output bytes), then each contender's best time and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-/var/cache/xcat-imaging/bookworm-minbase}
rounds=${2:-2}
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
echo "tree: $root, $(numfmt --to=iec "$size"), $(find "$root" -xdev | wc -l) entries, $(nproc) cores, $(date -u +%F)"
echo "libdeflate: $(ldconfig -p | grep 'libdeflate\.so\.0 ' >/dev/null && echo present || echo 'missing (zlib engine)')"
sync; cat "$root"/usr/bin/* >/dev/null 2>&1 || true   # warm the page cache for every contender alike

declare -A best rss bytes
run() { # key, label, output file, command...
  local key=$1 name=$2 out=$3; shift 3
  /usr/bin/time -f "%e %M" -o "$work/t" bash -c "$*" 2>/dev/null
  local secs kb
  read -r secs kb < "$work/t"
  local b="-"
  [ -f "$out" ] && b=$(stat -c %s "$out")
  printf '%-34s %8.2f s %8d MB %14s bytes   load %s\n' "$name" "$secs" "$((kb / 1024))" "$b" "$(cut -d' ' -f1 /proc/loadavg)"
  if [ -z "${best[$key]:-}" ] || awk "BEGIN{exit !($secs < ${best[$key]})}"; then best[$key]=$secs; fi
  rss[$key]=$((kb / 1024)); bytes[$key]=$b
}

for round in $(seq "$rounds"); do
  echo "-- round $round"
  run ours  "xcatimg pack (gzip 6)"         "$work/c.cpio.gz"  "${xcatimg[*]} pack '$root' -o '$work/c.cpio.gz' -c gzip --level 6 > /dev/null"
  run gzip  "xCAT: find|cpio|gzip -6"       "$work/a.cpio.gz"  "cd '$root' && find . -xdev | cpio -H newc -o --quiet | gzip -6 -c > '$work/a.cpio.gz'"
  run pigz  "xCAT: find|cpio|pigz -6"       "$work/b.cpio.gz"  "cd '$root' && find . -xdev | cpio -H newc -o --quiet | pigz -6 -c > '$work/b.cpio.gz'"
  run zours "xcatimg pack (zstd 3)"         "$work/e.cpio.zst" "${xcatimg[*]} pack '$root' -o '$work/e.cpio.zst' -c zstd --level 3 > /dev/null"
  run zstd  "find|cpio|zstd -3 -T0"         "$work/d.cpio.zst" "cd '$root' && find . -xdev | cpio -H newc -o --quiet | zstd -3 -T0 -q -c > '$work/d.cpio.zst'"
  rm -rf "$work/u1" "$work/u2"; mkdir -p "$work/u1" "$work/u2"
  run unours "xcatimg unpack"               "-"                "${xcatimg[*]} unpack '$work/c.cpio.gz' -C '$work/u2' > /dev/null"
  run ungnu  "gzip -dc|cpio -idm"           "-"                "cd '$work/u1' && gzip -dc '$work/a.cpio.gz' | cpio -idm --quiet"
done

ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }
echo "-- best of $rounds"
printf 'pack gzip 6: %.2f s (RSS %d MB): %sx xCAT gzip -6 (%.2f s), %sx pigz -6 (%.2f s); size %sx gzip -6\n' \
  "${best[ours]}" "${rss[ours]}" "$(ratio "${best[gzip]}" "${best[ours]}")" "${best[gzip]}" \
  "$(ratio "${best[pigz]}" "${best[ours]}")" "${best[pigz]}" "$(awk "BEGIN{printf \"%.4f\", ${bytes[ours]} / ${bytes[gzip]}}")"
printf 'pack zstd 3: %.2f s: %sx find|cpio|zstd -3 -T0 (%.2f s)\n' "${best[zours]}" "$(ratio "${best[zstd]}" "${best[zours]}")" "${best[zstd]}"
printf 'unpack gzip: %.2f s: %sx gzip -dc|cpio -idm (%.2f s)\n' "${best[unours]}" "$(ratio "${best[ungnu]}" "${best[unours]}")" "${best[ungnu]}"
