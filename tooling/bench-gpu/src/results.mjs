/**
 * Where full results go: the package's results/ folder (found from the bundle's location, whether it runs from
 * dist/ or was carried to .gpu/ at the repository root), and $OUT when set (the GPU machine sends $OUT back).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageDir() {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const own = join(dir, 'package.json');
    if (existsSync(own) && JSON.parse(readFileSync(own, 'utf8')).name === '@descent/bench-gpu') return dir;
    if (existsSync(join(dir, 'tooling', 'bench-gpu', 'package.json'))) return join(dir, 'tooling', 'bench-gpu');
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Writes the results; returns the paths written. */
export function writeResults(results, table, fileName) {
  const written = [];
  const pkg = packageDir();
  if (pkg) {
    mkdirSync(join(pkg, 'results'), { recursive: true });
    const path = join(pkg, 'results', fileName);
    writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
    written.push(path);
  }
  if (process.env.OUT) {
    mkdirSync(process.env.OUT, { recursive: true });
    writeFileSync(join(process.env.OUT, 'bench-gpu.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(process.env.OUT, 'bench-gpu.md'), `${table}\n`);
    written.push(join(process.env.OUT, 'bench-gpu.json'), join(process.env.OUT, 'bench-gpu.md'));
  }
  return written;
}
