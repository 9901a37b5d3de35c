/**
 * The `webgpu` package (Dawn) stays outside the bundle: dawn.node is native. Carried to a GPU machine, the package
 * holds dawn.node xz-compressed (21 MB raw, 5 MB compressed: the carry limit is 64 MiB with Node.js itself), so
 * it is unpacked next to itself on first use.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function ensureDawnUnpacked() {
  let entry;
  try {
    entry = createRequire(import.meta.url).resolve('webgpu');
  } catch {
    throw new Error(
      "The GPU benchmark needs the 'webgpu' package (Dawn) next to it: run it from the workspace (pnpm bench:gpu), " +
        'or pack it for a GPU machine with tooling/bench-gpu/pack-gpu.sh.',
    );
  }
  const arch = process.platform === 'darwin' ? 'universal' : process.arch;
  const binary = join(dirname(entry), 'dist', `${process.platform}-${arch}`, 'dawn.node');
  if (!existsSync(binary) && existsSync(`${binary}.xz`)) execFileSync('xz', ['-dk', `${binary}.xz`]);
}
