#!/usr/bin/env bash
# Installs Debian's Chromium for the docs site's browser test (apps/docs/test/browser.test.ts), which drives it
# with playwright-core. Headless Chromium with --enable-unsafe-webgpu gives a SwiftShader WebGPU adapter, so the
# test needs no GPU. Idempotent: does nothing when /usr/bin/chromium is there.
# Runs as root, or through sudo when available. Usage: bash apps/docs/scripts/install-chromium.sh
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-chromium: needs root (or sudo) to apt-get install chromium; rerun as root." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q chromium
echo "install-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
