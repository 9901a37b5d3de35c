#!/bin/bash
# Packs the GPU benchmark for the lent GPU machine, which has no Node.js and reaches no registry. Into DEST
# (default: .gpu at the repository root, git-ignored) go Node.js and the Vulkan loader (the shared pack.sh, run
# once), the bundle dist/bench-gpu.mjs, and the `webgpu` package with dawn.node xz-compressed (the bundle unpacks
# it on first run; raw, it would take a third of the 64 MiB carry limit).
# Usage: bash tooling/bench-gpu/pack-gpu.sh [DEST]; then run on the device with carry [".gpu"]:
#   source .gpu/remote-setup.sh && node .gpu/bench-gpu.mjs
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dest=${1:-$root/.gpu}
shared_pack=${GPU_PACK_SH:-$root/../shared/gpu/pack.sh}

if [ ! -f "$here/dist/bench-gpu.mjs" ]; then
  echo "pack-gpu: build the bundle first: pnpm turbo run build --filter=@descent/bench-gpu... (or pnpm bench:gpu)" >&2
  exit 1
fi
if [ ! -f "$dest/node.xz" ] || [ ! -f "$dest/remote-setup.sh" ]; then
  if [ ! -f "$shared_pack" ]; then
    echo "pack-gpu: $shared_pack not found (it packs Node.js and the Vulkan loader); set GPU_PACK_SH to its path" >&2
    exit 1
  fi
  bash "$shared_pack" "$dest"
fi
cp "$here/dist/bench-gpu.mjs" "$dest/bench-gpu.mjs"

webgpu=$(cd "$here/node_modules/webgpu" && pwd -P)
target="$dest/node_modules/webgpu"
rm -rf "$target"
mkdir -p "$target/dist/linux-x64"
cp "$webgpu/package.json" "$webgpu/index.js" "$target/"
xz -T2 -c "$webgpu/dist/linux-x64/dawn.node" > "$target/dist/linux-x64/dawn.node.xz"
du -sh "$dest"
