#!/usr/bin/env bash
# Installs Mesa's lavapipe (a CPU Vulkan driver) from bookworm-backports, so Dawn's WebGPU runs with no GPU.
# Bookworm's own Mesa is too old for Dawn. Idempotent: does nothing when the backports driver is already there.
# Runs as root, or through sudo when available. Usage: bash tooling/scripts/install-lavapipe.sh
set -euo pipefail

PACKAGES=(mesa-vulkan-drivers libvulkan1)
BACKPORTS_LIST=/etc/apt/sources.list.d/bookworm-backports.sources

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-lavapipe: needs root (or sudo) to install ${PACKAGES[*]}; rerun as root." >&2
  exit 1
fi

installed_version() {
  { dpkg-query -W -f='${db:Status-Status} ${Version}' "$1" 2>/dev/null || true; } | awk '$1 == "installed" { print $2 }'
}

mesa_version="$(installed_version mesa-vulkan-drivers)"
if [[ "$mesa_version" == *bpo* ]] && [ -n "$(installed_version libvulkan1)" ] &&
  ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1; then
  echo "install-lavapipe: mesa-vulkan-drivers $mesa_version (bookworm-backports) already installed"
  exit 0
fi

if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "install-lavapipe: adding bookworm-backports to apt sources ($BACKPORTS_LIST)"
  printf '%s\n' \
    'Types: deb' \
    'URIs: http://deb.debian.org/debian' \
    'Suites: bookworm-backports' \
    'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
    "${as_root[@]}" tee "$BACKPORTS_LIST" >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends -t bookworm-backports "${PACKAGES[@]}"

echo "install-lavapipe: installed mesa-vulkan-drivers $(installed_version mesa-vulkan-drivers):"
ls /usr/share/vulkan/icd.d/
