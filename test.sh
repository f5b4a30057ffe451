#!/usr/bin/env bash
# Runs every test. First installs the Debian tools the interop tests call (GNU cpio, bsdtar, ...) when they are missing.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v cpio >/dev/null 2>&1 || need+=(cpio)
command -v bsdtar >/dev/null 2>&1 || need+=(libarchive-tools)
command -v tar >/dev/null 2>&1 || need+=(tar)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v flock >/dev/null 2>&1 || need+=(util-linux)
command -v xz >/dev/null 2>&1 || need+=(xz-utils)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
command -v pigz >/dev/null 2>&1 || need+=(pigz)
command -v getfattr >/dev/null 2>&1 || need+=(attr)
command -v setcap >/dev/null 2>&1 || need+=(libcap2-bin)
command -v gzip >/dev/null 2>&1 || need+=(gzip)
command -v bzip2 >/dev/null 2>&1 || need+=(bzip2)
command -v rpmbuild >/dev/null 2>&1 || need+=(rpm)
command -v dnf >/dev/null 2>&1 || need+=(dnf)
command -v zypper >/dev/null 2>&1 || need+=(zypper)
command -v createrepo_c >/dev/null 2>&1 || need+=(createrepo-c)
ldconfig -p 2>/dev/null | grep 'libdeflate\.so\.0 ' >/dev/null || need+=(libdeflate0)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} for the interop tests..."
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Xcat.Imaging.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line in the plain form CI reads: N passed, N failed, N skipped.
awk '/(Passed|Failed)! +- +Failed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     } END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
