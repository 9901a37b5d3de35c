#!/usr/bin/env bash
# Installs Debian's python3-torch (PyTorch for the system /usr/bin/python3), which the PyTorch interop tests
# (packages/torch/test/pytorch-interop.test.ts) run against. Python is a test dependency only; Descent never needs it.
# Idempotent: does nothing when /usr/bin/python3 already imports torch.
# Runs as root, or through sudo when available. Usage: bash tooling/scripts/install-python-torch.sh
set -euo pipefail

PACKAGES=(python3-torch)

if /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; then
  echo "install-python-torch: torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') already installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-python-torch: needs root (or sudo) to install ${PACKAGES[*]}; rerun as root." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q "${PACKAGES[@]}"

echo "install-python-torch: installed torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
